// The seed generator (`switchboard seed`): what it writes reads back through the API as data the API itself would
// have written (summaries true to the last message, searchable names, email threads, spec-valid answers), the
// bulk load leaves the schema and the connection as it found them, and search totals stay exact as data changes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSummaryCode, messageTypeCode } from '../../src/domain/message-types.js';
import { channelOf } from '../../src/domain/messages/records.js';
import { type SeedReport, seed } from '../../src/seed/seeder.js';
import type { Store } from '../../src/store/database.js';
import { buildDist, ROOT, runCli } from '../helpers/cli.js';
import { ENGINES, type EngineName } from '../helpers/engines.js';
import { issueToken } from '../helpers/factories.js';
import { type Client, type Harness, startHarness } from '../helpers/harness.js';

const OPTIONS = {
  locations: 2,
  contacts: 360,
  conversations: 300,
  messages: 3000,
  seed: 7,
  until: Date.UTC(2025, 5, 1),
};

async function indexNames(store: Store): Promise<string[]> {
  const query =
    store.engine === 'sqlite'
      ? sql<{ name: string }>`select name from sqlite_master where type in ('index', 'trigger') order by name`
      : sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema() order by 1`;
  return (await query.execute(store.db)).rows.map((row) => row.name);
}

async function count(store: Store, table: 'contacts' | 'conversations' | 'messages' | 'emails', locationId: string) {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('location_id', '=', locationId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

interface Message {
  id: string;
  type: number;
  messageType: string;
  body: string;
  direction: string;
  dateAdded: string;
  dateUpdated: string;
  meta: { email?: { messageIds: string[] } };
}

describe.each(ENGINES)('seed on %s', (engine: EngineName) => {
  let harness: Harness;
  let store: Store;
  let report: SeedReport;
  let indexesBefore: string[];
  let api: Client;

  beforeAll(async () => {
    harness = await startHarness(engine);
    store = harness.server.store;
    indexesBefore = await indexNames(store);
    report = await seed(store, OPTIONS, 'seed.example', null);
    const first = report.locations[0];
    if (!first) throw new Error('no location seeded');
    api = harness.client(await issueToken(harness, first.id));
  }, 120_000);
  afterAll(() => harness?.close());

  it('writes the requested numbers, spread over the locations (the first the largest)', async () => {
    expect(report.locations).toHaveLength(2);
    const [first, second] = report.locations as [SeedReport['locations'][0], SeedReport['locations'][0]];
    expect(first.conversations).toBeGreaterThan(second.conversations);
    for (const location of report.locations) {
      expect(await count(store, 'contacts', location.id)).toBe(location.contacts);
      expect(await count(store, 'conversations', location.id)).toBe(location.conversations);
      expect(await count(store, 'messages', location.id)).toBe(location.messages);
    }
    expect(first.contacts + second.contacts).toBe(OPTIONS.contacts);
    expect(first.messages + second.messages).toBe(OPTIONS.messages);
    const emails = (await count(store, 'emails', first.id)) + (await count(store, 'emails', second.id));
    expect(emails).toBe(report.emails);
    expect(emails).toBeGreaterThan(0);
  });

  it('leaves every index in place and the connection as it was', async () => {
    expect(await indexNames(store)).toEqual(indexesBefore);
    if (engine === 'sqlite') {
      const pragma = async (name: string) =>
        Object.values((await sql.raw(`pragma ${name}`).execute(store.db)).rows[0] as object)[0];
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('synchronous')).toBe(1); // NORMAL, as the test database is opened
      expect(await pragma('journal_mode')).toBe('wal');
    }
  });

  it('gives every message the channel, JSON fields and dates the API gives one', async () => {
    const rows = await store.db
      .selectFrom('messages')
      .select(['type', 'channel', 'attachments', 'meta', 'date_added', 'date_updated'])
      .execute();
    for (const row of rows) {
      expect(row.channel).toBe(channelOf(row.type));
      expect(Array.isArray(JSON.parse(row.attachments))).toBe(true);
      expect(typeof JSON.parse(row.meta)).toBe('object');
      expect(Number(row.date_updated)).toBeGreaterThanOrEqual(Number(row.date_added));
      expect(Number(row.date_added)).toBeLessThanOrEqual(OPTIONS.until);
      expect(Number(row.date_added)).toBeGreaterThan(OPTIONS.until - 800 * 24 * 3600 * 1000);
    }
  });

  it('keeps each conversation summary true to its last message, as read through the API', async () => {
    const search = await api.get('conversations:search-conversation', '/conversations/search', {
      query: { locationId: report.locations[0]?.id, limit: 40 },
    });
    expect(search.status).toBe(200);
    expect(search.body.total).toBe(report.locations[0]?.conversations);
    for (const item of search.body.conversations) {
      const read = await api.get('conversations:get-messages', `/conversations/${item.id}/messages`, {
        query: { limit: 100 },
      });
      expect(read.status).toBe(200);
      const messages = read.body.messages.messages as Message[];
      const last = messages.find((m) => isSummaryCode(messageTypeCode(m.messageType) ?? 0));
      if (!last) {
        expect(item.lastMessageType).toBeUndefined();
        continue;
      }
      expect(item.lastMessageBody).toBe(last.body);
      expect(item.lastMessageType).toBe(last.messageType);
      // An email thread's latest email is the conversation's last message: the thread row's update time.
      const at = last.messageType === 'TYPE_EMAIL' ? last.dateUpdated : last.dateAdded;
      expect(item.lastMessageDate).toBe(Date.parse(at));
      // Unread messages are the latest inbound ones: a conversation whose newest message went out has none.
      const newest = messages[0] as Message;
      if (item.unreadCount > 0)
        expect(newest.direction === 'inbound' || newest.messageType === 'TYPE_EMAIL').toBe(true);
      for (const message of messages.filter((m) => m.messageType === 'TYPE_EMAIL')) {
        expect(message.meta.email?.messageIds.length).toBeGreaterThan(0);
      }
    }
  });

  it('keeps the full-text index in step: a contact is found by a fragment of its name, email and phone', async () => {
    // A contact with a conversation (a few contacts of a seed have none).
    const contact = await store.db
      .selectFrom('contacts')
      .innerJoin('conversations', 'conversations.contact_id', 'contacts.id')
      .selectAll('contacts')
      .where('contacts.location_id', '=', report.locations[0]?.id ?? '')
      .where('contacts.email', 'is not', null)
      .where('contacts.phone', 'is not', null)
      .orderBy('contacts.id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const fragments = [contact.email as string, (contact.phone as string).slice(2), contact.last_name].filter(Boolean);
    for (const query of fragments as string[]) {
      const found = await api.get('conversations:search-conversation', '/conversations/search', {
        query: { locationId: report.locations[0]?.id, query, limit: 100 },
      });
      expect(found.status).toBe(200);
      if ((found.body.total as number) <= 100) {
        expect(found.body.conversations.map((c: { contactId: string }) => c.contactId)).toContain(contact.id);
      }
    }
  });

  it('indexes every seeded message and every email of a thread for message search', async () => {
    const locationId = report.locations[0]?.id ?? '';
    const search = async (q: string) => {
      const found = await api.get('extensions:search-messages', '/conversations/messages/search', {
        query: { locationId, q, limit: 100 },
      });
      expect(found.status, JSON.stringify(found.body)).toBe(200);
      return found.body as { messages: { id: string }[]; total: number };
    };
    // A word of each kind of text: an SMS body, the subject of a thread's first email, the text of an older email.
    // Some seeded texts are a word or two ("Ok", "Yes"), so the first SMS with a long enough word is taken.
    const smses = await store.db
      .selectFrom('messages')
      .select('body')
      .where('location_id', '=', locationId)
      .where('type', '=', 2)
      .orderBy('seq')
      .limit(50)
      .execute();
    const smsWord = smses.map((sms) => sms.body?.match(/[A-Za-z]{5,}/)?.[0]).find(Boolean);
    if (!smsWord) throw new Error('no seeded SMS has a word of five letters');
    expect((await search(smsWord)).total).toBeGreaterThan(0);
    const older = await sql<{ message_id: string; subject: string }>`select e.message_id, e.subject from emails e
      where e.location_id = ${locationId} and exists (select 1 from emails later
        where later.message_id = e.message_id and later.date_added > e.date_added)
      order by e.id limit 1`.execute(store.db);
    const email = older.rows[0];
    if (!email) throw new Error('no thread of several emails seeded');
    const bySubject = await search(email.subject);
    expect(bySubject.total).toBeGreaterThan(0);
    if (bySubject.total <= 100) expect(bySubject.messages.map((m) => m.id)).toContain(email.message_id);
  });

  it('keeps search totals exact as conversations come and go', async () => {
    const locationId = report.locations[0]?.id as string;
    const total = async (query: Record<string, string> = {}) =>
      (
        await api.get('conversations:search-conversation', '/conversations/search', {
          query: { locationId, ...query },
        })
      ).body.total as number;
    const before = await total();
    expect(await total()).toBe(before);
    const contact = await api.post('contacts:create-contact', '/contacts/', { locationId, name: 'Zebulon Quixote' });
    const created = await api.post('conversations:create-conversation', '/conversations/', {
      locationId,
      contactId: contact.body.contact.id,
    });
    expect(created.status).toBe(201);
    expect(await total()).toBe(before + 1);
    expect(await total({ query: 'zebulon' })).toBe(1);
    await api.delete('conversations:delete-conversation', `/conversations/${created.body.conversation.id}`);
    expect(await total()).toBe(before);
    expect(await total({ query: 'zebulon' })).toBe(0);
  });
});

describe('switchboard seed (command line)', () => {
  beforeAll(() => buildDist(), 60_000);

  it('seeds a SQLite file and prints its report', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-seed-'));
    try {
      const args = ['seed', '--locations', '1', '--contacts', '30', '--conversations', '20', '--messages', '100'];
      const result = await runCli(args, { DATABASE_URL: `sqlite:${dir}/seed.db` }, ROOT);
      expect(result.code).toBe(0);
      const printed = JSON.parse(result.stdout) as SeedReport;
      expect(printed.locations[0]).toMatchObject({ contacts: 30, conversations: 20, messages: 100 });
      expect(result.stderr).toMatch(/messages .*100%/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
