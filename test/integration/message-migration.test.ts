// Migrations 0017 (messages clustered by conversation and date) and 0018 (full-text index) run on a database made by
// the schema before them: every row, number and email survives, history reads in date order, the counts and the
// full-text index keep working, and new messages number on from the old ones; 0029 indexes every email of old threads.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.js';
import { seed } from '../../src/seed/seeder.js';
import { openStore, type Store } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { searchMessages } from '../../src/store/repositories/message-search.js';
import { conversationMessages, decodeMessage, insertMessage } from '../../src/store/repositories/messages.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.js';

const OPTIONS = {
  locations: 2,
  contacts: 120,
  conversations: 100,
  messages: 1500,
  seed: 3,
  until: Date.UTC(2025, 0, 1),
};

type Snapshot = { id: string; seq: number; conversation_id: string; date_added: number; body: string | null }[];

async function snapshot(store: Store): Promise<Snapshot> {
  const rows = await store.db
    .selectFrom('messages')
    .select(['id', 'seq', 'conversation_id', 'date_added', 'body'])
    .orderBy('seq')
    .execute();
  return rows.map((row) => ({ ...row, seq: Number(row.seq), date_added: Number(row.date_added) }));
}

async function tableCount(store: Store, table: 'emails' | 'message_transcriptions' | 'messages'): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function smsCount(store: Store, locationId: string): Promise<number> {
  const rows = await store.db
    .selectFrom('location_counts')
    .select('n')
    .where('location_id', '=', locationId)
    .where('name', '=', 'messages:SMS')
    .execute();
  return rows.reduce((sum, row) => sum + Number(row.n), 0);
}

describe.each(ENGINES)('message migrations from the previous schema on %s', (engine) => {
  let database: TestDatabase;
  let store: Store;
  let before: Snapshot;
  let emailsBefore: number;
  let backDated: { id: string; conversationId: string; at: number };

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    store = openStore(database.config, { backgroundCheckpoints: false });
    await migrateToLatest(store.db, engine, '0010_counts');
    // Data the old way: the seed's bulk load, then one back-dated message appended in arrival (seq) order.
    await seed(store, OPTIONS, 'migrate.example', null);
    const newest = await store.db
      .selectFrom('messages')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const { seq: _seq, ...row } = newest;
    const at = Number(newest.date_added) - 400 * 24 * 3600 * 1000;
    const id = newId();
    await store.db
      .insertInto('messages')
      .values({ ...row, id, alt_key: null, thread_id: null, type: 2, channel: 'SMS', date_added: at, date_updated: at })
      .execute();
    backDated = { id, conversationId: newest.conversation_id, at };
    before = await snapshot(store);
    emailsBefore = await tableCount(store, 'emails');
    expect(emailsBefore).toBeGreaterThan(0);
    await migrateToLatest(store.db, engine);
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('keeps every message with its number, and every email', async () => {
    expect(await snapshot(store)).toEqual(before);
    expect(await tableCount(store, 'emails')).toBe(emailsBefore);
  });

  it('lays SQLite messages out by (conversation, date, seq), with foreign keys back on', async () => {
    if (engine !== 'sqlite') {
      const { rows } = await sql<{ indexdef: string }>`select indexdef from pg_indexes
        where schemaname = current_schema() and indexname = 'messages_history'`.execute(store.db);
      expect(rows[0]?.indexdef).toContain('(conversation_id, date_added, seq)');
      return;
    }
    const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where name = 'messages'`.execute(
      store.db,
    );
    expect(rows[0]?.sql).toMatch(/PRIMARY KEY \("conversation_id", "date_added", "seq"\)\) WITHOUT ROWID$/);
    const keys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
    expect(keys.rows[0]?.foreign_keys).toBe(1);
  });

  it('reads history in date order: the back-dated message sits at its date, not at its arrival', async () => {
    const expected = before
      .filter((row) => row.conversation_id === backDated.conversationId)
      .sort((a, b) => b.date_added - a.date_added || b.seq - a.seq)
      .map((row) => row.id);
    const page = await conversationMessages(store.db, backDated.conversationId, { limit: 1000 });
    expect(page.rows.map((row) => row.id)).toEqual(expected);
    expect(expected.at(-1)).toBe(backDated.id);
  });

  it('numbers new messages on from the old ones, and keeps counting them', async () => {
    const newest = before.at(-1);
    const template = await store.db
      .selectFrom('messages')
      .selectAll()
      .where('id', '=', backDated.id)
      .executeTakeFirstOrThrow();
    const countBefore = await smsCount(store, template.location_id);
    const { seq: _seq, ...row } = decodeMessage(template);
    const inserted = await insertMessage(store.db, { ...row, id: newId(), body: 'llegó la factura de marzo' });
    expect(Number(inserted.seq)).toBeGreaterThan(newest?.seq ?? 0);
    expect(await smsCount(store, template.location_id)).toBe(countBefore + 1);
  });

  it('indexes the text of old messages for search, accents folded', async () => {
    const sample = before.find((row) => row.body && /^[\p{L}]{5,}/u.test(row.body));
    const word = sample?.body?.match(/^[\p{L}]+/u)?.[0] ?? '';
    expect(word.length).toBeGreaterThanOrEqual(5);
    const matches = async (text: string) => {
      const query =
        engine === 'sqlite'
          ? sql<{ n: number }>`select count(*) as n from messages_fts where messages_fts match ${`"${text}"`}`
          : sql<{ n: number }>`select count(*) as n from messages
              where to_tsvector('switchboard_text', coalesce(body, '')) @@ plainto_tsquery('switchboard_text', ${text})`;
      return Number((await query.execute(store.db)).rows[0]?.n);
    };
    expect(await matches(word)).toBeGreaterThan(0);
    expect(await matches('LLEGO')).toBe(1);
  });
});

describe.each(ENGINES)('email search migration (0029) over existing threads on %s', (engine) => {
  let database: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    store = openStore(database.config, { backgroundCheckpoints: false });
    await migrateToLatest(store.db, engine, '0024_attached_files');
    await seed(store, { ...OPTIONS, locations: 1 }, 'threads.example', null);
    await migrateToLatest(store.db, engine);
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('finds a thread by the subject and text of an email older than its latest', async () => {
    const older = await sql<{ message_id: string; subject: string; body: string; location_id: string }>`
      select e.message_id, e.subject, e.body, e.location_id from emails e
      where exists (select 1 from emails later where later.message_id = e.message_id and later.date_added > e.date_added)
      order by e.date_added limit 1`.execute(store.db);
    const email = older.rows[0];
    expect(email).toBeDefined();
    if (!email) return;
    const subjectWords = email.subject.toLowerCase().match(/[a-z]{4,}/g) ?? [];
    const textWords = email.body
      .replace(/<[^>]+>/g, ' ')
      .toLowerCase()
      .match(/[a-z]{4,}/g);
    for (const words of [subjectWords.slice(0, 2), (textWords ?? []).slice(0, 3)]) {
      expect(words.length).toBeGreaterThan(0);
      const found = await searchMessages(store.db, { locationId: email.location_id, words, limit: 100 });
      expect(
        found.rows.map((row) => row.id),
        words.join(' '),
      ).toContain(email.message_id);
      // Walking the location newest first (what a search with many matches does) finds the same, in the same order.
      const walked = await searchMessages(store.db, {
        locationId: email.location_id,
        words,
        limit: 100,
        fewMatches: 0,
      });
      expect(walked.rows.map((row) => row.id)).toEqual(found.rows.map((row) => row.id));
      expect(walked.total).toBe(found.total);
    }
  });
});
