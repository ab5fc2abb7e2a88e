// Transactions queued together share one SQLite commit: each unit in a savepoint of its own, so one that fails
// rolls back alone, and every unit is answered only once the shared commit is on the database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/schema.js';
import { TransactionBatches } from '../../src/store/transaction-batches.js';

describe('TransactionBatches (sqlite)', () => {
  let dir: string;
  let file: string;
  let db: Kysely<Database>;
  let statements: string[];

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-batches-'));
    file = path.join(dir, 'test.db');
    const sqlite = new SqliteDatabase(file);
    sqlite.pragma('journal_mode = WAL');
    statements = [];
    db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: sqlite }),
      log: (event) => {
        statements.push(event.query.sql);
      },
    });
    await sql`create table notes (id integer primary key, body text not null)`.execute(db);
  });
  afterEach(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** What another connection (another process, a crash's recovery) sees: only committed rows. */
  const committedBodies = () => {
    const reader = new SqliteDatabase(file, { readonly: true });
    try {
      return (reader.prepare('select body from notes order by id').all() as { body: string }[]).map((r) => r.body);
    } finally {
      reader.close();
    }
  };

  const insert = (body: string) => async (trx: Parameters<Parameters<TransactionBatches['run']>[0]>[0]) => {
    await sql`insert into notes (body) values (${body})`.execute(trx);
    if (body.startsWith('fail')) throw new Error(`${body} failed`);
    const { rows } = await sql<{ n: number }>`select count(*) as n from notes`.execute(trx);
    return rows[0]?.n;
  };

  it('runs units queued together in one transaction, in order, a failed one rolled back alone', async () => {
    const batches = new TransactionBatches(db);
    const seenAtAnswer: string[][] = [];
    const units = ['a', 'b', 'fail-c', 'd', 'e'].map((body) =>
      batches.run(insert(body)).then(
        (count) => {
          seenAtAnswer.push(committedBodies());
          return count;
        },
        (error: Error) => error.message,
      ),
    );
    const answers = await Promise.all(units);
    // Each saw the ones before it, and not the failed one.
    expect(answers).toEqual([1, 2, 'fail-c failed', 3, 4]);
    expect(committedBodies()).toEqual(['a', 'b', 'd', 'e']);
    // No unit was answered before every row of the batch was committed.
    for (const seen of seenAtAnswer) expect(seen).toEqual(['a', 'b', 'd', 'e']);
    expect(statements.filter((text) => text === 'commit')).toHaveLength(1);
  });

  it('starts a new batch for what arrives after one has begun', async () => {
    const batches = new TransactionBatches(db);
    const first = batches.run(insert('one'));
    await first;
    const second = await Promise.all([batches.run(insert('two')), batches.run(insert('three'))]);
    expect(second).toEqual([2, 3]);
    expect(statements.filter((text) => text === 'commit')).toHaveLength(2);
    expect(committedBodies()).toEqual(['one', 'two', 'three']);
  });
});
