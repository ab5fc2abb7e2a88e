// The list `--help` prints is the list loadConfig reads: neither may name a variable the other does not.
import { describe, expect, it } from 'vitest';
import { declaredOnly, loadConfig } from '../../src/config.js';
import { CONFIG_VARIABLES, describeConfiguration } from '../../src/config-variables.js';

/** Runs loadConfig on an environment that records every variable it is asked for. */
function readsOf(env: Record<string, string>): Set<string> {
  const read = new Set<string>();
  loadConfig(
    new Proxy(env, {
      get(target, name) {
        if (typeof name === 'string') read.add(name);
        return Reflect.get(target, name);
      },
    }),
  );
  return read;
}

describe('configuration variables', () => {
  it('declares every variable loadConfig reads, and loadConfig reads every declared one', () => {
    // Some variables are read only on a branch (PostgreSQL's pool size, the SMTP listener's host): walk both.
    const read = new Set([
      ...readsOf({}),
      ...readsOf({ DATABASE_URL: 'postgres://localhost/x', SMTP_LISTEN_PORT: '2525' }),
      ...readsOf({ BLOB_STORE_URL: 's3://bucket/prefix' }),
    ]);
    const declared = CONFIG_VARIABLES.map((variable) => variable.name);
    expect([...read].sort()).toEqual([...declared].sort());
  });

  it('refuses to read a variable that is not declared', () => {
    const env = declaredOnly({ PORT: '1', NOT_A_SWITCHBOARD_VARIABLE: 'x' });
    expect(env.PORT).toBe('1');
    expect(() => env.NOT_A_SWITCHBOARD_VARIABLE).toThrow(/NOT_A_SWITCHBOARD_VARIABLE .*src\/config-variables\.ts/);
  });

  it('names each variable once and describes each with its default', () => {
    const names = CONFIG_VARIABLES.map((variable) => variable.name);
    expect(new Set(names).size).toBe(names.length);
    const help = describeConfiguration();
    for (const variable of CONFIG_VARIABLES) {
      expect(help).toContain(variable.name);
      expect(variable.description.length).toBeGreaterThan(5);
    }
    expect(help).toContain('(default: GROUP)');
  });
});
