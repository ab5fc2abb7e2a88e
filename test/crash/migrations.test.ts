// A SQLite database survives a kill -9 in the middle of its migrations: the pending migrations run in one transaction,
// so a process killed after any statement leaves the database as it was, and the next start migrates it to the end.
// (Before, a kill between a migration's DDL and its record bricked it: "table ... already exists" on every start.)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { buildDist, ROOT } from '../helpers/cli.js';

/** Migrates `file` from the built code and SIGKILLs itself right after the `killAfter`-th statement executes. */
const CHILD = `
import { openStore } from ${JSON.stringify(path.join(ROOT, 'dist/store/database.js'))};
import { migrateToLatest } from ${JSON.stringify(path.join(ROOT, 'dist/store/migrator.js'))};
const [killAfter, file] = [Number(process.argv[2]), process.argv[3]];
let executed = 0;
const killer = {
  transformQuery: ({ node }) => node,
  transformResult: async ({ result }) => {
    executed += 1;
    if (executed === killAfter) process.kill(process.pid, 'SIGKILL');
    return result;
  },
};
const store = openStore({ engine: 'sqlite', file, synchronous: 'FULL' }, { backgroundCheckpoints: false });
await migrateToLatest(store.db.withPlugin(killer), 'sqlite');
console.log('migrated after', executed, 'statements');
`;

function runChild(script: string, killAfter: number, file: string): Promise<{ signal: string | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, String(killAfter), file], { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    child.on('close', (_code, signal) => resolve({ signal, out }));
  });
}

describe('SQLite migrations killed mid-way', () => {
  let dir: string;
  let script: string;

  beforeAll(() => {
    buildDist();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-migrate-kill-'));
    script = path.join(dir, 'migrate.mjs');
    fs.writeFileSync(script, CHILD);
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('leaves a database the next start migrates to the end, wherever the kill lands', async () => {
    // How many statements a full migration runs, so the kills spread over all of it.
    const full = await runChild(script, Number.MAX_SAFE_INTEGER, path.join(dir, 'full.db'));
    const total = Number(/migrated after (\d+) statements/.exec(full.out)?.[1]);
    expect(total, full.out).toBeGreaterThan(20);
    const points = [3, 6, 10, Math.floor(total / 4), Math.floor(total / 2), Math.floor((3 * total) / 4), total - 2];
    for (const killAfter of points) {
      const file = path.join(dir, `killed-${killAfter}.db`);
      const killed = await runChild(script, killAfter, file);
      expect(killed.signal, `kill after statement ${killAfter}: ${killed.out}`).toBe('SIGKILL');
      const store = openStore({ engine: 'sqlite', file, synchronous: 'FULL' }, { backgroundCheckpoints: false });
      try {
        await migrateToLatest(store.db, 'sqlite');
        const tables = await store.db.introspection.getTables();
        expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(['messages', 'conversations']));
        const recorded = await store.db
          .selectFrom('kysely_migration' as never)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number((recorded as { n: number }).n)).toBeGreaterThan(10);
      } finally {
        await store.close();
      }
    }
  }, 120_000);
});
