// A conversation's history in date order: back-dated messages sit at their date (history, export's conversation
// filter, the summary), a scheduled message joins at its send time, and a randomized walk proves that keyset paging
// by lastMessageId never skips or repeats a message while new ones arrive and scheduled ones fire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { inbound, send, summaryOf, uniquePhone } from '../helpers/messages.js';
import { prng } from '../helpers/random.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Listed {
  id: string;
  body: string;
  dateAdded: string;
}

describe.each(ENGINES)('message history in date order on %s', (engine) => {
  const clock = new TestClock();
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(engine, { clock, env: { WORKER_ENABLED: 'false' } });
  });
  afterAll(() => harness?.close());

  const runDue = () => harness.server.services.jobs.runDue();

  async function page(location: TestLocation, conversationId: string, limit: number, lastMessageId?: string) {
    const response = await location.api.get('conversations:get-messages', `/conversations/${conversationId}/messages`, {
      query: { limit, ...(lastMessageId ? { lastMessageId } : {}) },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.messages as { messages: Listed[]; nextPage: boolean; lastMessageId: string | null };
  }

  /** The whole history, read while nothing changes. */
  async function history(location: TestLocation, conversationId: string): Promise<Listed[]> {
    const all: Listed[] = [];
    let last: string | undefined;
    for (;;) {
      const next = await page(location, conversationId, 100, last);
      all.push(...next.messages);
      if (!next.nextPage) return all;
      last = next.messages.at(-1)?.id;
    }
  }

  async function received(location: TestLocation, conversationId: string, message: string, date?: number) {
    const response = await inbound(location, {
      type: 'SMS',
      conversationId,
      message,
      ...(date !== undefined ? { date: new Date(date).toISOString() } : {}),
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.messageId as string;
  }

  it('lists a back-dated message at its date: history, export by conversation and the summary agree', async () => {
    const location = await createLocation(harness);
    const conversation = await createConversation(location);
    const now = clock.advance(MINUTE);
    const latest = await received(location, conversation.id, 'latest');
    const hourAgo = await received(location, conversation.id, 'an hour ago', now - HOUR);
    const halfHourAgo = await received(location, conversation.id, 'half an hour ago', now - HOUR / 2);

    const listed = await history(location, conversation.id);
    expect(listed.map((m) => m.id)).toEqual([latest, halfHourAgo, hourAgo]);
    expect(listed.map((m) => Date.parse(m.dateAdded))).toEqual([now, now - HOUR / 2, now - HOUR]);

    const exported = await location.api.get(
      'conversations:export-messages-by-location',
      '/conversations/messages/export',
      {
        query: { locationId: location.locationId, conversationId: conversation.id },
      },
    );
    expect(exported.status, JSON.stringify(exported.body)).toBe(200);
    expect(exported.body.messages.map((m: { id: string }) => m.id)).toEqual([latest, halfHourAgo, hourAgo]);
    expect(await summaryOf(location, conversation.id)).toMatchObject({
      lastMessageBody: 'latest',
      lastMessageDate: now,
    });
  });

  it('lists a scheduled message once sent, at its send time', async () => {
    const location = await createLocation(harness);
    const contactId = (await createContact(location, { phone: uniquePhone() })).id;
    const first = await send(location, { type: 'SMS', contactId, message: 'first' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const conversationId = first.body.conversationId as string;
    const scheduled = await send(location, {
      type: 'SMS',
      contactId,
      message: 'scheduled',
      scheduledTimestamp: Math.floor((clock.now() + HOUR) / 1000),
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
    clock.advance(HOUR / 2);
    const between = await received(location, conversationId, 'between');
    expect((await history(location, conversationId)).map((m) => m.id)).toEqual([between, first.body.messageId]);

    const sentAt = clock.advance(HOUR);
    await runDue();
    const listed = await history(location, conversationId);
    expect(listed.map((m) => m.id)).toEqual([scheduled.body.messageId, between, first.body.messageId]);
    expect(Date.parse(listed[0]?.dateAdded ?? '')).toBe(sentAt);
  });

  it('refuses a scheduled message as lastMessageId: it is in no page', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: uniquePhone() });
    const scheduled = await send(location, {
      type: 'SMS',
      contactId: contact.id,
      message: 'later',
      scheduledTimestamp: Math.floor((clock.now() + HOUR) / 1000),
    });
    const response = await location.api.get(
      'conversations:get-messages',
      `/conversations/${scheduled.body.conversationId}/messages`,
      { query: { lastMessageId: scheduled.body.messageId } },
    );
    expect(response.status).toBe(400);
  });

  for (const seed of [1, 2, 3]) {
    it(`pages without skipping or repeating while messages arrive and scheduled ones fire (seed ${seed})`, async () => {
      const random = prng(seed);
      const location = await createLocation(harness);
      const contactId = (await createContact(location, { phone: uniquePhone() })).id;
      const opened = await send(location, { type: 'SMS', contactId, message: 'opening' });
      const conversationId = opened.body.conversationId as string;
      const origin = clock.now();
      let counter = 0;

      // When each message became listed, and where the walk's cursor stood then (null: before the first page).
      const listedWhile = new Map<string, string | null>([[opened.body.messageId, null]]);
      let cursor: string | null = null;
      const pendingScheduled: string[] = [];

      const act = async () => {
        const choice = random(10);
        counter += 1;
        if (choice < 3) {
          // Arrives now; sometimes in the very millisecond of the last one, so the tiebreak decides.
          if (random(2) === 0) clock.advance(1 + random(5_000));
          listedWhile.set(await received(location, conversationId, `now ${counter}`), cursor);
        } else if (choice < 6) {
          // Back-dated anywhere in the conversation's past.
          const date = origin - random(2 * HOUR);
          listedWhile.set(await received(location, conversationId, `back-dated ${counter}`, date), cursor);
        } else if (choice < 8) {
          const at = clock.now() + MINUTE + random(HOUR);
          const sent = await send(location, {
            type: 'SMS',
            contactId,
            message: `scheduled ${counter}`,
            scheduledTimestamp: Math.ceil(at / 1000),
          });
          expect(sent.status, JSON.stringify(sent.body)).toBe(200);
          pendingScheduled.push(sent.body.messageId);
        } else if (pendingScheduled.length > 0) {
          // Every scheduled message comes due: each joins the history as it is sent.
          clock.advance(2 * HOUR);
          await runDue();
          for (const id of pendingScheduled.splice(0)) listedWhile.set(id, cursor);
        }
      };

      for (let i = 0; i < 30; i += 1) await act();

      const seen: string[] = [];
      let last: string | undefined;
      for (let pages = 0; pages < 200; pages += 1) {
        const next = await page(location, conversationId, 1 + random(6), last);
        seen.push(...next.messages.map((m) => m.id));
        if (!next.nextPage) break;
        last = next.messages.at(-1)?.id;
        expect(next.lastMessageId).toBe(last);
        cursor = last ?? null;
        for (let k = random(3); k > 0; k -= 1) await act();
      }

      expect(seen.length).toBeGreaterThan(15);
      expect(new Set(seen).size, 'a message was repeated').toBe(seen.length);
      const final = await history(location, conversationId);
      const dates = final.map((m) => Date.parse(m.dateAdded));
      expect(dates, 'history is newest first').toEqual([...dates].sort((a, b) => b - a));
      const order = new Map(final.map((m, index) => [m.id, index]));
      // The walk reads the final order, restricted to what it saw.
      expect(seen).toEqual([...seen].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)));
      // A message is due to the walk exactly when it was listed before the cursor passed its place.
      const expected = final
        .filter((m) => {
          const at = listedWhile.get(m.id);
          if (at === undefined) throw new Error(`untracked message ${m.body}`);
          return at === null || (order.get(m.id) ?? 0) > (order.get(at) ?? 0);
        })
        .map((m) => m.id);
      expect(seen).toEqual(expected);
    });
  }
});
