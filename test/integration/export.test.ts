// The location-wide export: keyset paging through signed cursors (complete and duplicate-free while messages
// keep arriving), channel, conversation, contact and date filters, sortBy updatedAt, total and cursor tampering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageRow } from '../../src/domain/messages/records.js';
import { insertMessage } from '../../src/store/repositories/messages.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const SEEDED = 2000;
const BASE = Date.parse('2025-06-01T00:00:00.000Z');
// Non-email types of every export channel, an activity among them: SMS, Call, WhatsApp, IG, FB, opportunity.
const SEED_TYPES = [2, 1, 19, 18, 11, 28];

type Query = Record<string, string | number | undefined>;
interface Exported {
  id: string;
  type: number;
  conversationId: string;
  contactId: string;
  dateAdded: string;
  dateUpdated: string;
  meta: Record<string, unknown>;
}

describe.each(ENGINES)('message export on %s', (engine) => {
  let harness: Harness;
  /** 2,000 seeded messages over four conversations, four to a millisecond so ties page by seq. */
  let bulk: TestLocation;
  let bulkContacts: { id: string }[] = [];
  let bulkConversations: string[] = [];
  let seededIds: string[] = [];

  /** Seeds straight through the repository layer: 2,000 API calls would dominate the run. */
  async function seed(location: TestLocation) {
    bulkContacts = await Promise.all([0, 1, 2, 3].map(() => createContact(location, {})));
    bulkConversations = [];
    for (const contact of bulkContacts) {
      const made = await location.api.post('conversations:create-conversation', '/conversations/', {
        locationId: location.locationId,
        contactId: contact.id,
      });
      bulkConversations.push(made.body.conversation.id);
    }
    seededIds = await harness.server.store.db.transaction().execute(async (trx) => {
      const ids: string[] = [];
      for (let i = 0; i < SEEDED; i += 1) {
        const at = BASE + Math.floor(i / 4) * 60_000;
        const row = await insertMessage(
          trx,
          messageRow({
            locationId: location.locationId,
            conversationId: bulkConversations[i % 4] as string,
            contactId: bulkContacts[i % 4]?.id as string,
            type: SEED_TYPES[i % SEED_TYPES.length] as number,
            direction: i % 2 ? 'inbound' : 'outbound',
            status: 'delivered',
            body: `seed ${i}`,
            at,
            // Updated in the opposite order to creation, so the two sorts disagree.
            now: BASE + (SEEDED - i) * 1000,
          }),
        );
        ids.push(row.id);
      }
      return ids;
    });
  }

  beforeAll(async () => {
    harness = await startHarness(engine);
    bulk = await createLocation(harness);
    await seed(bulk);
  });
  afterAll(() => harness?.close());

  const exportPage = (location: TestLocation, query: Query) =>
    location.api.get('conversations:export-messages-by-location', '/conversations/messages/export', {
      query: { locationId: location.locationId, ...query },
    });

  /** Every page of an export; `between` runs after each page (to write while the export is under way). */
  async function walk(location: TestLocation, query: Query, between?: () => Promise<unknown>) {
    const messages: Exported[] = [];
    const totals: number[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 1000; pages += 1) {
      const page = await exportPage(location, { ...query, cursor });
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      messages.push(...page.body.messages);
      totals.push(page.body.total);
      if (page.body.nextCursor === null) return { messages, totals, pages: pages + 1 };
      expect(page.body.nextCursor).toEqual(expect.any(String));
      cursor = page.body.nextCursor;
      await between?.();
    }
    throw new Error('export did not end');
  }

  it('walks 2,000 messages page by page while others arrive, with no duplicate and none missed', async () => {
    const contact = bulkContacts[0]?.id as string;
    let written = 0;
    // New messages arrive throughout: one dated now, one back-dated into the middle of the range being walked.
    const arrive = async () => {
      const middle = new Date(BASE + Math.floor(Math.random() * (SEEDED / 4)) * 60_000).toISOString();
      const responses = await Promise.all([
        bulk.api.post('conversations:add-an-inbound-message', '/conversations/messages/inbound', {
          type: 'SMS',
          contactId: contact,
          message: 'now',
        }),
        bulk.api.post('conversations:add-an-inbound-message', '/conversations/messages/inbound', {
          type: 'WhatsApp',
          contactId: contact,
          message: 'back-dated',
          date: middle,
        }),
      ]);
      for (const response of responses) expect(response.status).toBe(200);
      written += 2;
    };
    /** Walks while a writer keeps inserting, and also inserts between pages so every page sees a change. */
    async function walkWhileWriting(query: Query) {
      let walking = true;
      const writer = (async () => {
        while (walking) await arrive();
      })();
      try {
        return await walk(bulk, query, arrive);
      } finally {
        walking = false;
        await writer;
      }
    }
    const start = await exportPage(bulk, { limit: 10 });
    expect(start.body.total).toBe(SEEDED);
    const existing = new Set(seededIds);

    for (const query of [{ limit: 100 }, { limit: 500, sortOrder: 'asc' }, { limit: 250, sortBy: 'updatedAt' }]) {
      const before = new Set((await walk(bulk, { limit: 500 })).messages.map((m) => m.id));
      const { messages, totals } = 'sortBy' in query ? await walk(bulk, query) : await walkWhileWriting(query);
      const ids = messages.map((m) => m.id);
      expect(new Set(ids).size, `duplicates in ${JSON.stringify(query)}`).toBe(ids.length);
      const seen = new Set(ids);
      expect([...before].filter((id) => !seen.has(id))).toEqual([]);
      expect([...existing].filter((id) => !seen.has(id))).toEqual([]);
      expect(totals[0]).toBeGreaterThanOrEqual(before.size);
      // The requested order throughout, by the sort field (then seq).
      const field = 'sortBy' in query ? 'dateUpdated' : 'dateAdded';
      const values = messages.map((m) => Date.parse(m[field]));
      expect(values).toEqual([...values].sort((a, b) => ('sortOrder' in query ? a - b : b - a)));
    }
    expect(written).toBeGreaterThan(20);
  }, 60_000);

  it('sorts by updatedAt, which here runs opposite to createdAt', async () => {
    const byUpdate = await exportPage(bulk, { sortBy: 'updatedAt', sortOrder: 'asc', limit: 10, channel: 'Call' });
    const byCreation = await exportPage(bulk, { sortBy: 'createdAt', sortOrder: 'desc', limit: 10, channel: 'Call' });
    expect(byUpdate.status).toBe(200);
    const updates = (byUpdate.body.messages as Exported[]).map((m) => Date.parse(m.dateUpdated));
    expect(updates).toEqual([...updates].sort((a, b) => a - b));
    expect((byUpdate.body.messages as Exported[]).map((m) => m.id)).toEqual(
      (byCreation.body.messages as Exported[]).map((m) => m.id),
    );
  });

  it('filters by date (ISO strings, inclusive), conversation and contact, and counts the full match', async () => {
    // Minutes 100..149 of the seed: four messages a minute.
    const startDate = new Date(BASE + 100 * 60_000).toISOString();
    const endDate = new Date(BASE + 149 * 60_000).toISOString();
    const window = await walk(bulk, { startDate, endDate, limit: 10, sortOrder: 'asc' });
    const seededInWindow = window.messages.filter((m) => seededIds.includes(m.id));
    expect(seededInWindow).toHaveLength(200);
    expect(window.totals[0]).toBe(window.messages.length);
    for (const m of window.messages) {
      expect(Date.parse(m.dateAdded)).toBeGreaterThanOrEqual(Date.parse(startDate));
      expect(Date.parse(m.dateAdded)).toBeLessThanOrEqual(Date.parse(endDate));
    }
    const dateOnly = await exportPage(bulk, { startDate: '2025-06-01', endDate: '2025-06-01T00:00:59Z', limit: 10 });
    const firstMinute = (dateOnly.body.messages as Exported[]).map((m) => m.id).filter((id) => seededIds.includes(id));
    expect(firstMinute.sort()).toEqual(seededIds.slice(0, 4).sort());

    const conversationId = bulkConversations[1] as string;
    const byConversation = await exportPage(bulk, { conversationId, endDate, limit: 500 });
    expect(byConversation.body.total).toBe(150);
    expect(byConversation.body.messages.every((m: Exported) => m.conversationId === conversationId)).toBe(true);
    const contactId = bulkContacts[2]?.id as string;
    const byContact = await exportPage(bulk, { contactId, endDate, limit: 10 });
    expect(byContact.body.total).toBe(150);
    expect(byContact.body.messages.every((m: Exported) => m.contactId === contactId)).toBe(true);
    expect((await exportPage(bulk, { conversationId: 'nope0000000000000000' })).body).toMatchObject({
      messages: [],
      total: 0,
      nextCursor: null,
    });

    // A zone offset, or none (UTC), names the same instant as its Z form.
    for (const start of [
      '2025-06-01T02:00:00+02:00',
      '2025-06-01T02:00+0200',
      '2025-06-01T00:00:00',
      '2025-06-01 00:00',
    ]) {
      const page = await exportPage(bulk, { startDate: start, endDate: '2025-06-01T00:00:59.999Z', limit: 10 });
      const ids = (page.body.messages as Exported[]).map((m) => m.id).filter((id) => seededIds.includes(id));
      expect(ids.sort(), start).toEqual(seededIds.slice(0, 4).sort());
    }
    const invalid = ['yesterday', '1', '2025-13-45', '2025-02-29', '2025-02-30T00:00:00Z', '2025-06-01T25:00:00Z'];
    for (const bad of [...invalid, 'Infinity', '2025-06-01T10:00:00+2']) {
      const response = await exportPage(bulk, { startDate: bad });
      expect(response.status, bad).toBe(422);
      expect(response.body.message).toEqual(['startDate must be a valid ISO 8601 date string']);
    }
    expect((await exportPage(bulk, { startDate: endDate, endDate: startDate })).status).toBe(422);
  });

  it('exports every channel but email by default, and email threads only with channel=Email', async () => {
    const place = await createLocation(harness);
    const contact = await createContact(place, { phone: '+15557654321' });
    const post = async (path: string, operation: string, body: Record<string, unknown>) => {
      const response = await place.api.post(`conversations:${operation}`, path, { contactId: contact.id, ...body });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body as { messageId: string; emailMessageId?: string };
    };
    const send = (body: Record<string, unknown>) => post('/conversations/messages', 'send-a-new-message', body);
    const receive = (body: Record<string, unknown>) =>
      post('/conversations/messages/inbound', 'add-an-inbound-message', body);
    const sms = await send({ type: 'SMS', message: 'sms' });
    const call = await receive({ type: 'Call', call: { status: 'completed' } });
    const whatsapp = await receive({ type: 'WhatsApp', message: 'wa' });
    const instagram = await receive({ type: 'IG', message: 'ig' });
    const facebook = await receive({ type: 'FB', message: 'fb' });
    const note = await send({ type: 'InternalComment', message: 'note' });
    const email = await send({ type: 'Email', html: '<p>one</p>', subject: 'Thread' });
    const reply = await receive({ type: 'Email', html: '<p>two</p>', emailMessageId: email.emailMessageId });

    const ids = async (query: Query) => {
      const page = await exportPage(place, { sortOrder: 'asc', ...query });
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(page.body.messages.length);
      return (page.body.messages as Exported[]).map((m) => m.id);
    };
    expect(await ids({})).toEqual([
      sms.messageId,
      call.messageId,
      whatsapp.messageId,
      instagram.messageId,
      facebook.messageId,
      note.messageId,
    ]);
    expect(await ids({ channel: 'SMS' })).toEqual([sms.messageId]);
    expect(await ids({ channel: 'Call' })).toEqual([call.messageId]);
    expect(await ids({ channel: 'WhatsApp' })).toEqual([whatsapp.messageId]);
    expect(await ids({ channel: 'Instagram' })).toEqual([instagram.messageId]);
    expect(await ids({ channel: 'Facebook' })).toEqual([facebook.messageId]);
    const emails = await exportPage(place, { channel: 'Email' });
    expect(emails.body.total).toBe(1);
    expect(emails.body.messages[0]).toMatchObject({
      id: email.messageId,
      type: 3,
      messageType: 'TYPE_EMAIL',
      meta: { email: { messageIds: [email.emailMessageId, reply.emailMessageId] } },
    });
    expect((await exportPage(place, { channel: 'Sms' })).status).toBe(422);
  });

  it('refuses tampered, foreign and garbage cursors with 422 "cursor is invalid"', async () => {
    const first = await exportPage(bulk, { limit: 10, channel: 'SMS' });
    const cursor = first.body.nextCursor as string;
    const second = await exportPage(bulk, { limit: 20, channel: 'SMS', cursor });
    expect(second.status).toBe(200);
    const [payload, mac] = cursor.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify([BASE, 1])).toString('base64url');
    const flip = (text: string) => `${text.slice(0, -1)}${text.endsWith('A') ? 'B' : 'A'}`;
    const other = await createLocation(harness);
    const refusals: [TestLocation, Query][] = [
      [bulk, { channel: 'SMS', cursor: `${forged}.${mac}` }],
      [bulk, { channel: 'SMS', cursor: `${flip(payload)}.${mac}` }],
      [bulk, { channel: 'SMS', cursor: `${payload}.${flip(mac)}` }],
      [bulk, { channel: 'SMS', cursor: `${payload}.${mac}.x` }],
      [bulk, { channel: 'SMS', cursor: 'garbage' }],
      [bulk, { channel: 'SMS', cursor: 'a748514c-f49e-4fa8-9954-b53afc78d81d' }],
      [bulk, { channel: 'SMS', cursor: '.' }],
      // The same cursor on another query: another channel, order, sort, filter or location.
      [bulk, { channel: 'Call', cursor }],
      [bulk, { cursor }],
      [bulk, { channel: 'SMS', sortOrder: 'asc', cursor }],
      [bulk, { channel: 'SMS', sortBy: 'updatedAt', cursor }],
      [bulk, { channel: 'SMS', startDate: '2025-01-01T00:00:00Z', cursor }],
      [other, { channel: 'SMS', cursor }],
    ];
    for (const [location, query] of refusals) {
      const response = await exportPage(location, query);
      expect(response.status, JSON.stringify(query)).toBe(422);
      expect(response.body.message).toEqual(['cursor is invalid']);
    }
  });

  it('keeps limit within 10..500, defaulting to 100', async () => {
    const page = await exportPage(bulk, {});
    expect(page.body.messages).toHaveLength(100);
    expect((await exportPage(bulk, { limit: 500 })).body.messages).toHaveLength(500);
    for (const limit of [9, 501, 'ten']) expect((await exportPage(bulk, { limit })).status).toBe(422);
    const forbidden = await bulk.api.get(
      'conversations:export-messages-by-location',
      '/conversations/messages/export',
      {
        query: { locationId: (await createLocation(harness)).locationId },
      },
    );
    expect(forbidden.status).toBe(403);
  });
});
