// Switchboard's version: the one in package.json, which sits one folder above both src/ and dist/.
import { readFileSync } from 'node:fs';

export function switchboardVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
