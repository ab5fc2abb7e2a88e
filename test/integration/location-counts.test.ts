// The counts kept by triggers (migrations 0010, 0037) answer whole-location totals of search, export and the contact
// list: after every kind
// of write that moves them, each total the API gives must equal a count of the rows themselves, through a scripted
// sequence and through seeded random ones.
import { randomInt } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldCounts } from '../../src/store/location-counts.js';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { inbound, send } from '../helpers/messages.js';
import { prng } from '../helpers/random.js';

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
    await expectContactTotalsTrue(location);
    return { conversations, unread };
  }

  /** The contact list's total, and an unfiltered advanced search's, next to the count of the rows. */
  async function expectContactTotalsTrue(location: TestLocation) {
    const contacts = await rowCount(sql`select count(*) as n from contacts where location_id = ${location.locationId}`);
    const list = await location.api.get('contacts:get-contacts', '/contacts/', {
      query: { locationId: location.locationId, limit: 1 },
    });
    expect(list.status).toBe(200);
    expect(list.body.meta.total).toBe(contacts);
    const search = await location.api.post('contacts:search-contacts-advanced', '/contacts/search', {
      locationId: location.locationId,
      pageLimit: 1,
    });
    expect(search.status, JSON.stringify(search.body)).toBe(200);
    expect(search.body.total).toBe(contacts);
    return contacts;
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

  // Random sequences of every write that moves a kept count, the totals checked against COUNT(*) after each step.
  // COUNTS_SEED replays a failing sequence.
  const seeds = process.env.COUNTS_SEED ? [Number(process.env.COUNTS_SEED)] : [11, 12];
  for (const seed of seeds) {
    it(`stay equal to the rows through a random sequence of writes (seed ${seed})`, async () => {
      const random = prng(seed);
      const pick = <T>(items: readonly T[]): T | undefined => items[random(items.length)];
      const location = await createLocation(harness);
      const contacts: string[] = [];
      const scheduled: string[] = [];
      const channels = ['SMS', 'WhatsApp', 'Email', 'Call'] as const;
      const conversations = async () =>
        (
          await location.api.get('conversations:search-conversation', '/conversations/search', {
            query: { locationId: location.locationId, limit: 100 },
          })
        ).body.conversations.map((conversation: { id: string }) => conversation.id) as string[];
      const contact = async () => {
        if (contacts.length === 0 || (contacts.length < 5 && random(3) === 0)) {
          contacts.push((await createContact(location, { phone: `+1555${randomInt(1_000_000, 9_999_999)}` })).id);
        }
        return pick(contacts) as string;
      };
      const steps: Record<string, () => Promise<unknown>> = {
        inbound: async () => {
          const type = pick(channels) as string;
          const body = type === 'Email' ? { html: '<p>m</p>', subject: 's' } : { message: 'hi' };
          expect((await inbound(location, { type, contactId: await contact(), ...body })).status).toBe(200);
        },
        send: async () =>
          expect((await send(location, { type: 'SMS', contactId: await contact(), message: 'out' })).status).toBe(200),
        conversation: async () => {
          // A contact's conversation may exist already: a 400 then leaves every count as it was.
          await createConversation(location, await contact()).catch(() => undefined);
        },
        read: async () => {
          const id = pick(await conversations());
          if (!id) return;
          const response = await location.api.put('conversations:update-conversation', `/conversations/${id}`, {
            locationId: location.locationId,
            unreadCount: random(2) === 0 ? 0 : 1 + random(3),
          });
          expect(response.status).toBe(200);
        },
        schedule: async () => {
          const at = Math.floor((clock.now() + (1 + random(3)) * HOUR) / 1000);
          const response = await send(location, {
            type: 'SMS',
            contactId: await contact(),
            message: 'later',
            scheduledTimestamp: at,
          });
          expect(response.status).toBe(200);
          scheduled.push(response.body.messageId);
        },
        cancel: async () => {
          const id = scheduled.splice(random(scheduled.length), 1)[0];
          if (!id) return;
          // Already sent (the clock moved past it) is a 4xx that changes nothing.
          await location.api.delete('conversations:cancel-scheduled-message', `/conversations/messages/${id}/schedule`);
        },
        fire: async () => {
          clock.advance((1 + random(3)) * HOUR);
          await harness.server.services.jobs.runDue();
        },
        delete: async () => {
          const id = pick(await conversations());
          if (!id) return;
          expect((await location.api.delete('conversations:delete-conversation', `/conversations/${id}`)).status).toBe(
            200,
          );
        },
        fold: async () => {
          if (engine === 'postgres') await foldCounts(db(), 1);
        },
        upsert: async () => {
          // Updates a contact of the location when the phone matches one, creates one otherwise.
          const phone = `+1555${randomInt(1_000_000, 1_000_004)}`;
          const response = await location.api.post('contacts:upsert-contact', '/contacts/upsert', {
            locationId: location.locationId,
            phone,
            firstName: `Up ${random(1000)}`,
          });
          expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
          if (!contacts.includes(response.body.contact.id)) contacts.push(response.body.contact.id);
        },
        forget: async () => {
          const id = contacts.splice(random(contacts.length), 1)[0];
          if (!id) return;
          expect((await location.api.delete('contacts:delete-contact', `/contacts/${id}`)).status).toBe(200);
        },
      };
      const names = Object.keys(steps);
      const done: string[] = [];
      for (let step = 0; step < 40; step++) {
        const name = pick(names) as string;
        done.push(name);
        await steps[name]?.();
        try {
          await expectTotalsTrue(location);
        } catch (error) {
          throw new Error(`seed ${seed}, after ${done.join(' → ')}: ${(error as Error).message}`);
        }
      }
    });
  }
});
