// Packages a server may never use (the PostgreSQL driver on SQLite, Redis, SMTP, the MCP SDK) are loaded on first use
// rather than at start: loading them was a large part of the time a server took to become ready (docs/architecture.md).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A CommonJS package, loaded synchronously the first time the returned function is called. */
export function onFirstUse<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(name) as T;
    return loaded;
  };
}
