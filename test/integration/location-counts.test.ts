// The counts kept by triggers (migration 0010) answer whole-location totals of search and export: after every kind
// of write that moves them, each total the API gives must equal a count of the rows themselves.
import { randomInt } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldCounts } from '../../src/store/location-counts.js';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { inbound, send } from '../helpers/messages.js';

const HOUR = 3_600_000;

describe.each(ENGINES)('kept counts (%s)', (engine) => {
  let harness: Harness;
  const clock = new TestClock(Date.parse('2026-06-01T12:00:00Z'));
  beforeAll(async () => {
    harness = await startHarness(engine, { clock, env: { WORKER_ENABLED: 'false' } });
  });
  afterAll(() => harness?.close());

  const db = () => harness.server.store.db;

  async function rowCount(query: RawBuilder<unknown>): Promise<number> {
    const { rows } = await query.execute(db());
    return Number((rows[0] as { n: number | string } | undefined)?.n);
  }

  async function searchTotal(location: TestLocation, query: Record<string, string> = {}) {
    const response = await location.api.get('conversations:search-conversation', '/conversations/search', {
      query: { locationId: location.locationId, ...query },
    });
    expect(response.status).toBe(200);
    return response.body.total as number;
  }

  async function exportTotal(location: TestLocation, query: Record<string, string> = {}) {
    const response = await location.api.get(
      'conversations:export-messages-by-location',
      '/conversations/messages/export',
      {
        query: { locationId: location.locationId, ...query },
      },
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.total as number;
  }

  /** Every total the kept counts answer, next to the count of the rows. */
  async function expectTotalsTrue(location: TestLocation) {
    const id = location.locationId;
    const conversations = await rowCount(sql`select count(*) as n from conversations where location_id = ${id}`);
    const unread = await rowCount(
      sql`select count(*) as n from conversations where location_id = ${id} and unread_count > 0`,
    );
    const messages = (channel: string, op: '=' | '<>') =>
      rowCount(sql`select count(*) as n from messages
        where location_id = ${id} and channel ${sql.raw(op)} ${channel} and status <> 'scheduled'`);
    expect(await searchTotal(location)).toBe(conversations);
    expect(await searchTotal(location, { status: 'recents' })).toBe(conversations);
    expect(await searchTotal(location, { status: 'unread' })).toBe(unread);
    expect(await exportTotal(location)).toBe(await messages('Email', '<>'));
    for (const channel of ['SMS', 'Email', 'WhatsApp', 'Call']) {
      expect(await exportTotal(location, { channel })).toBe(await messages(channel, '='));
    }
    return { conversations, unread };
  }

  it('stay equal to the rows through creates, messages, reads, schedules, cancels, sends and deletes', async () => {
    const location = await createLocation(harness);
    const other = await createLocation(harness);
    expect(await expectTotalsTrue(location)).toEqual({ conversations: 0, unread: 0 });

    const contacts = await Promise.all(
      Array.from({ length: 4 }, () => createContact(location, { phone: `+1555${randomInt(1_000_000, 9_999_999)}` })),
    );
    await createConversation(location, contacts[0]?.id);
    await createConversation(other);
    for (const [i, contact] of contacts.entries()) {
      for (let m = 0; m <= i; m++) {
        const sent = await inbound(location, {
          type: m % 2 ? 'WhatsApp' : 'SMS',
          contactId: contact.id,
          message: `hi ${m}`,
        });
        expect(sent.status).toBe(200);
      }
    }
    const email = await inbound(location, {
      type: 'Email',
      contactId: contacts[1]?.id,
      html: '<p>mail</p>',
      subject: 's',
    });
    expect(email.status).toBe(200);
    await inbound(location, { type: 'Call', contactId: contacts[2]?.id });
    await send(location, { type: 'SMS', contactId: contacts[3]?.id, message: 'reply' });
    expect(await expectTotalsTrue(location)).toEqual({ conversations: 4, unread: 4 });

    // Read, and unread again.
    const conversationOf = async (contactId: string) =>
      (
        await location.api.get('conversations:search-conversation', '/conversations/search', {
          query: { locationId: location.locationId, contactId },
        })
      ).body.conversations[0].id as string;
    const first = await conversationOf(contacts[0]?.id as string);
    const second = await conversationOf(contacts[1]?.id as string);
    const update = (id: string, unreadCount: number) =>
      location.api.put('conversations:update-conversation', `/conversations/${id}`, {
        locationId: location.locationId,
        unreadCount,
      });
    expect((await update(first, 0)).status).toBe(200);
    expect((await update(second, 0)).status).toBe(200);
    expect(await expectTotalsTrue(location)).toMatchObject({ unread: 2 });
    expect((await update(first, 5)).status).toBe(200);
    expect(await expectTotalsTrue(location)).toMatchObject({ unread: 3 });

    // Scheduled messages count once sent; a cancelled one never.
    const later = Math.floor((clock.now() + HOUR) / 1000);
    const kept = await send(location, {
      type: 'SMS',
      contactId: contacts[2]?.id,
      message: 'soon',
      scheduledTimestamp: later,
    });
    const cancelled = await send(location, {
      type: 'SMS',
      contactId: contacts[2]?.id,
      message: 'never',
      scheduledTimestamp: later,
    });
    expect(kept.status).toBe(200);
    await expectTotalsTrue(location);
    const cancel = await location.api.delete(
      'conversations:cancel-scheduled-message',
      `/conversations/messages/${cancelled.body.messageId}/schedule`,
    );
    expect(cancel.status).toBe(200);
    clock.advance(2 * HOUR);
    await harness.server.services.jobs.runDue();
    const sentNow = sql`select count(*) as n from messages where id = ${kept.body.messageId} and status <> 'scheduled'`;
    expect(await rowCount(sentNow)).toBe(1);
    await expectTotalsTrue(location);

    // Deleting a conversation takes its messages with it.
    const deleted = await location.api.delete('conversations:delete-conversation', `/conversations/${second}`);
    expect(deleted.status).toBe(200);
    expect(await expectTotalsTrue(location)).toMatchObject({ conversations: 3 });
    expect(await expectTotalsTrue(other)).toEqual({ conversations: 1, unread: 0 });

    if (engine === 'postgres') {
      // Delta rows fold into one per count, and every total stays the same.
      expect(await foldCounts(db(), 1)).toBeGreaterThan(0);
      const left = await rowCount(sql`select count(*) as n from (select 1 from location_counts
        where location_id = ${location.locationId} group by name having count(*) > 1) t`);
      expect(left).toBe(0);
      await expectTotalsTrue(location);
    }
  });
});
