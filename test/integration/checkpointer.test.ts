// The WAL is checkpointed on a worker thread: pages written through the store reach the database file without the
// writer checkpointing (its own limit is far above what these writes append), and closing the store stops it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.js';

describe('background checkpoints (sqlite)', () => {
  let dir: string;
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const open = (backgroundCheckpoints: boolean) => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-checkpoint-'));
    const file = path.join(dir, 'test.db');
    store = openStore({ engine: 'sqlite', file, synchronous: 'GROUP' }, { backgroundCheckpoints });
    return { file, db: store.db };
  };

  async function write(db: Store['db']) {
    await sql`create table notes (id integer primary key, body text)`.execute(db);
    for (let i = 0; i < 50; i++) await sql`insert into notes (body) values (${'x'.repeat(2000)})`.execute(db);
  }

  it('copies committed pages into the database file while the writer goes on', async () => {
    const { file, db } = open(true);
    await write(db);
    // 50 rows of 2 kB: some 25 pages, far below the writer's own checkpoint limit.
    await expect.poll(() => fs.statSync(file).size, { timeout: 5000, interval: 50 }).toBeGreaterThan(100_000);
    const { rows } = await sql<{ n: number }>`select count(*) as n from notes`.execute(db);
    expect(rows[0]?.n).toBe(50);
  });

  it('leaves the pages in the WAL when it is off (the writer checkpoints only at its limit)', async () => {
    const { file, db } = open(false);
    await write(db);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fs.statSync(file).size).toBeLessThan(100_000);
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(100_000);
  });
});
