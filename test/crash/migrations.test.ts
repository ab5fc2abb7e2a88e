// A SQLite database survives a kill -9 in the middle of its migrations: the pending migrations run in one transaction,
// so a process killed after any statement leaves the database as it was, and the next start migrates it to the end.
// (Before, a kill between a migration's DDL and its record bricked it: "table ... already exists" on every start.)
// And a SIGTERM that arrives while the server migrates stops it once start-up reaches a safe point, rather than
// ending the process mid-migration (signal handlers used to be installed only once the server listened).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { buildDist, ROOT, serveCli } from '../helpers/cli.js';

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

  it('stops once start-up reaches a safe point when SIGTERM arrives during its migrations, and never half-migrated', async () => {
    const dataDir = path.join(dir, 'sigterm');
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, 'switchboard.db');
    // Another connection holds the write lock, so the server's first migration waits for it (busy_timeout) with the
    // server's signal handlers already in place: the signal arrives mid-migration, every time.
    const holder = new Database(file);
    holder.pragma('journal_mode = WAL');
    holder.exec('BEGIN IMMEDIATE');
    const serving = serveCli({ DATA_DIR: dataDir, PORT: '0' }, dir);
    try {
      // The server has the database open (and is waiting on its lock) once the file is among its descriptors.
      const opened = () => {
        try {
          const fds = fs.readdirSync(`/proc/${serving.child.pid}/fd`);
          return fds.some((fd) => fs.readlinkSync(`/proc/${serving.child.pid}/fd/${fd}`) === file);
        } catch {
          return false;
        }
      };
      await expect.poll(opened, { timeout: 30_000, interval: 20 }).toBe(true);
      // The SQLite driver waits for the lock synchronously, so the server's handler runs only once it has it: the
      // signal is delivered now, and the lock let go a moment later (a process without a handler would be gone).
      serving.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    const code = await serving.exited;
    expect(code, `${serving.stdout}\n${serving.stderr}`).toBe(0);
    expect(serving.stdout).toMatch(/^Switchboard stopping \(SIGTERM\) once start-up reaches a safe point\./);
    expect(serving.stdout).not.toMatch(/listening/);
    expect(serving.stdout).toMatch(/Switchboard stopped\.\n$/);
    // It migrated to the end before stopping: nothing is pending for the next start.
    const store = openStore({ engine: 'sqlite', file, synchronous: 'FULL' }, { backgroundCheckpoints: false });
    try {
      expect(await migrateToLatest(store.db, 'sqlite')).toEqual([]);
    } finally {
      await store.close();
    }
  }, 120_000);
});
