// docs/configuration.md stays true to what Switchboard reads: every variable of the declared list
// (src/config-variables.ts, which loadConfig may read and --help prints) is documented there.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_SECTIONS } from '../../src/config-variables.js';

describe('docs/configuration.md', () => {
  it('documents every variable Switchboard reads', () => {
    const page = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    const declared = CONFIG_SECTIONS.flatMap((section) => section.variables.map((variable) => variable.name));
    expect(declared.length).toBeGreaterThan(40);
    expect(declared.filter((name) => !page.includes(`\`${name}\``))).toEqual([]);
  });
});
