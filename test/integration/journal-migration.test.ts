// Migrations 0025 (journal entries named by their seq) and 0032 (on SQLite, the journal in a file of its own) on a
// journal written by the schema before them: every recorded call keeps its number and fields, the indexes stay, and
// new calls number on from the old ones.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { insertJournalRows, listJournal, type NewJournalRow } from '../../src/store/repositories/request-journal.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.js';

const call = (trace: string, createdAt: number): NewJournalRow => ({
  location_id: 'journal-migration',
  method: 'POST',
  path: '/conversations/messages',
  route: '/conversations/messages',
  query: '{"a":1}',
  status: 201,
  duration_ms: 2.25,
  token_id: 'token-1',
  app_id: null,
  trace_id: trace,
  request_body: '{"type":"SMS"}',
  response_body: null,
  created_at: createdAt,
});

describe.each(ENGINES)('journal migration from the previous schema on %s', (engine) => {
  let database: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    store = openStore(database.config, { backgroundCheckpoints: false });
    await migrateToLatest(store.db, engine, '0024_attached_files');
    for (let i = 1; i <= 3; i++) {
      await sql`insert into request_journal (id, location_id, method, path, route, query, status, duration_ms, token_id,
        app_id, trace_id, request_body, response_body, created_at)
        values (${`old-id-${i}`}, 'journal-migration', 'POST', '/conversations/messages', '/conversations/messages',
        '{"a":1}', 201, 2.25, 'token-1', null, ${`old-${i}`}, '{"type":"SMS"}', null, ${1000 + i})`.execute(store.db);
    }
    await migrateToLatest(store.db, engine);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('keeps every call with its seq and fields, and numbers new calls on from them', async () => {
    await insertJournalRows(store.db, [call('new-1', 2000), call('new-2', 2001)]);
    const rows = await listJournal(store.db, 'journal-migration', { limit: 10, kept: 10 });
    expect(rows.map((row) => [row.seq, row.trace_id])).toEqual([
      [5, 'new-2'],
      [4, 'new-1'],
      [3, 'old-3'],
      [2, 'old-2'],
      [1, 'old-1'],
    ]);
    expect(rows[4]).toEqual({ seq: 1, ...call('old-1', 1001) });
    expect(Object.keys(rows[0] ?? {})).not.toContain('id');
  });

  it('moves the journal out of the main file on SQLite', async () => {
    if (engine !== 'sqlite') return;
    const inMain = await sql<{
      n: number;
    }>`select count(*) as n from main.sqlite_master where name = 'request_journal'`.execute(store.db);
    expect(inMain.rows[0]?.n).toBe(0);
    const inJournal = await sql<{ n: number }>`select count(*) as n from journal.request_journal`.execute(store.db);
    expect(inJournal.rows[0]?.n).toBe(5);
  });

  it('keeps the journal indexes', async () => {
    const names =
      engine === 'sqlite'
        ? await sql<{
            name: string;
          }>`select name from journal.sqlite_master where type = 'index' and tbl_name = 'request_journal'
            and sql is not null`.execute(store.db)
        : await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'request_journal'
            and schemaname = current_schema()`.execute(store.db);
    expect(names.rows.map((row) => row.name)).toEqual(
      expect.arrayContaining(['request_journal_location', 'request_journal_created']),
    );
  });
});
