// Scheduled sends driven by a TestClock and the durable job table: due times, restarts, racing runners,
// cancellation, and the admin dev outbox that shows what went out.
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Client, type Harness, startHarness } from '../helpers/harness.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const seconds = (ms: number) => Math.floor(ms / 1000);
const noWorker = { WORKER_ENABLED: 'false' };

interface OutboxRecord {
  id: string;
  messageId: string;
  emailId: string | null;
  channel: string;
  payload: Record<string, unknown>;
  dateAdded: string;
}

async function phoneContact(location: TestLocation): Promise<string> {
  const contact = await createContact(location, { phone: `+1555${randomInt(1_000_000, 9_999_999)}` });
  return contact.id;
}

async function send(api: Client, body: Record<string, unknown>) {
  const sent = await api.post('conversations:send-a-new-message', '/conversations/messages', body);
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  return sent.body as { messageId: string; conversationId: string; emailMessageId?: string; msg: string };
}

async function statusOf(api: Client, messageId: string): Promise<string> {
  const read = await api.get('conversations:get-message', `/conversations/messages/${messageId}`);
  expect(read.status, JSON.stringify(read.body)).toBe(200);
  return read.body.message.status as string;
}

/** Every record of the location's dev outbox, oldest first, read page by page. */
async function outboxOf(harness: Harness, locationId: string, limit = 100): Promise<OutboxRecord[]> {
  const records: OutboxRecord[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await harness.admin.get(null, `/admin/v1/locations/${locationId}/outbox`, { query: { limit, after } });
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    records.push(...page.body.outbox);
    if (page.body.nextAfter === null) return records;
    after = page.body.nextAfter;
  }
}

async function sentFor(harness: Harness, locationId: string, messageId: string) {
  return (await outboxOf(harness, locationId)).filter((record) => record.messageId === messageId);
}

async function conversationOf(api: Client, conversationId: string) {
  const read = await api.get('conversations:get-conversation', `/conversations/${conversationId}`);
  expect(read.status).toBe(200);
  return read.body as { lastMessageBody?: string; lastMessageDate?: number | string };
}

describe.each(ENGINES)('scheduled messages on %s', (engine) => {
  const clock = new TestClock();
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(engine, { clock, env: noWorker });
  });
  afterAll(() => harness?.close());

  const runDue = () => harness.server.services.jobs.runDue();

  it('sends a message scheduled an hour ahead once, when it comes due, and only then updates the summary', async () => {
    const location = await createLocation(harness);
    const contactId = await phoneContact(location);
    const first = await send(location.api, { type: 'SMS', contactId, message: 'first' });
    await runDue();

    const later = await send(location.api, {
      type: 'SMS',
      contactId,
      message: 'later',
      scheduledTimestamp: seconds(clock.now() + HOUR),
    });
    expect(later.msg).toBe('Message scheduled successfully.');
    expect(await statusOf(location.api, later.messageId)).toBe('scheduled');
    expect(await sentFor(harness, location.locationId, later.messageId)).toEqual([]);
    expect((await conversationOf(location.api, first.conversationId)).lastMessageBody).toBe('first');

    clock.advance(59 * MINUTE);
    await runDue();
    expect(await statusOf(location.api, later.messageId)).toBe('scheduled');
    expect(await sentFor(harness, location.locationId, later.messageId)).toEqual([]);

    const dueAt = clock.advance(2 * MINUTE);
    expect(await runDue()).toBe(1);
    expect(await statusOf(location.api, later.messageId)).toBe('delivered');
    const summary = await conversationOf(location.api, first.conversationId);
    expect(summary.lastMessageBody).toBe('later');
    expect(new Date(summary.lastMessageDate as number | string).getTime()).toBe(dueAt);
    const records = await sentFor(harness, location.locationId, later.messageId);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ channel: 'TYPE_SMS', payload: { body: 'later' } });

    expect(await runDue()).toBe(0);
    expect(await sentFor(harness, location.locationId, later.messageId)).toHaveLength(1);
  });

  it("lists a conversation's scheduled messages, soonest first, until each is sent or cancelled", async () => {
    const location = await createLocation(harness);
    const contactId = await phoneContact(location);
    const now = await send(location.api, { type: 'SMS', contactId, message: 'now' });
    await runDue();
    const scheduled = async () => {
      const listed = await location.api.get(
        'extensions:get-scheduled-messages',
        `/conversations/${now.conversationId}/messages/scheduled`,
      );
      expect(listed.status, JSON.stringify(listed.body)).toBe(200);
      return listed.body.messages.map((m: { id: string; status: string; body: string }) => [m.id, m.status, m.body]);
    };
    expect(await scheduled()).toEqual([]);
    const inTwo = await send(location.api, {
      type: 'SMS',
      contactId,
      message: 'in two hours',
      scheduledTimestamp: seconds(clock.now() + 2 * HOUR),
    });
    const inOne = await send(location.api, {
      type: 'SMS',
      contactId,
      message: 'in one hour',
      scheduledTimestamp: seconds(clock.now() + HOUR),
    });
    expect(await scheduled()).toEqual([
      [inOne.messageId, 'scheduled', 'in one hour'],
      [inTwo.messageId, 'scheduled', 'in two hours'],
    ]);
    const path = `/conversations/messages/${inTwo.messageId}/schedule`;
    expect((await location.api.delete('conversations:cancel-scheduled-message', path)).status).toBe(200);
    expect(await scheduled()).toEqual([[inOne.messageId, 'scheduled', 'in one hour']]);
    clock.advance(HOUR + MINUTE);
    await runDue();
    expect(await scheduled()).toEqual([]);

    const other = await createLocation(harness);
    const foreign = await other.api.get(null, `/conversations/${now.conversationId}/messages/scheduled`);
    expect(foreign.status).toBe(404);
  });

  it('sends now when scheduledTimestamp is in the past, and refuses a millisecond value', async () => {
    const location = await createLocation(harness);
    const contactId = await phoneContact(location);
    const past = await send(location.api, {
      type: 'SMS',
      contactId,
      message: 'overdue',
      scheduledTimestamp: seconds(clock.now() - HOUR),
    });
    expect(past.msg).toBe('Message queued successfully.');
    expect(await statusOf(location.api, past.messageId)).toBe('pending');
    expect((await conversationOf(location.api, past.conversationId)).lastMessageBody).toBe('overdue');
    await runDue();
    expect(await statusOf(location.api, past.messageId)).toBe('delivered');
    expect(await sentFor(harness, location.locationId, past.messageId)).toHaveLength(1);

    const millis = await location.api.post('conversations:send-a-new-message', '/conversations/messages', {
      type: 'SMS',
      contactId,
      message: 'far',
      scheduledTimestamp: clock.now() + HOUR,
    });
    expect(millis.status).toBe(422);
    expect(millis.body.message).toEqual([expect.stringContaining('scheduledTimestamp')]);
  });

  it('cancels a scheduled message: it is never sent, and a second cancel, an unknown id or a sent one are refused', async () => {
    const location = await createLocation(harness);
    const other = await createLocation(harness);
    const contactId = await phoneContact(location);
    const first = await send(location.api, { type: 'SMS', contactId, message: 'kept' });
    await runDue();
    const scheduled = await send(location.api, {
      type: 'SMS',
      contactId,
      message: 'never',
      scheduledTimestamp: seconds(clock.now() + HOUR),
    });
    const path = `/conversations/messages/${scheduled.messageId}/schedule`;

    const foreign = await other.api.delete('conversations:cancel-scheduled-message', path);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ status: 404 });

    const cancelled = await location.api.delete('conversations:cancel-scheduled-message', path);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 200, message: 'Scheduled message cancelled successfully' });
    const gone = await location.api.get(null, `/conversations/messages/${scheduled.messageId}`);
    expect(gone.status).toBe(404);

    clock.advance(2 * HOUR);
    await runDue();
    expect(await sentFor(harness, location.locationId, scheduled.messageId)).toEqual([]);
    expect((await conversationOf(location.api, first.conversationId)).lastMessageBody).toBe('kept');

    const again = await location.api.delete('conversations:cancel-scheduled-message', path);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ status: 400, statusCode: 400 });

    const unknown = await location.api.delete(
      'conversations:cancel-scheduled-message',
      '/conversations/messages/nope/schedule',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 404, message: 'Message not found' });

    const sent = await location.api.delete(
      'conversations:cancel-scheduled-message',
      `/conversations/messages/${first.messageId}/schedule`,
    );
    expect(sent.status).toBe(400);
    expect(sent.body).toMatchObject({ status: 400 });
    expect(await statusOf(location.api, first.messageId)).toBe('delivered');
  });

  it('cancels a scheduled email, thread and all', async () => {
    const location = await createLocation(harness);
    const contactId = (await createContact(location)).id;
    const email = await send(location.api, {
      type: 'Email',
      contactId,
      html: '<p>Tomorrow</p>',
      subject: 'Later',
      scheduledTimestamp: seconds(clock.now() + HOUR),
    });
    expect(await statusOf(location.api, email.messageId)).toBe('scheduled');
    const path = `/conversations/messages/${email.messageId}/schedule`;
    expect((await location.api.delete('conversations:cancel-scheduled-message', path)).status).toBe(200);
    clock.advance(2 * HOUR);
    await runDue();
    expect(await sentFor(harness, location.locationId, email.messageId)).toEqual([]);
    const again = await location.api.delete('conversations:cancel-scheduled-message', path);
    expect(again.status).toBe(400);
  });

  it('sends a scheduled reply in an existing thread without marking the thread scheduled', async () => {
    const location = await createLocation(harness);
    const contactId = (await createContact(location)).id;
    const opened = await send(location.api, { type: 'Email', contactId, html: '<p>Hello</p>', subject: 'Hi' });
    await runDue();
    const reply = await send(location.api, {
      type: 'Email',
      contactId,
      html: '<p>Following up</p>',
      replyMessageId: opened.emailMessageId,
      scheduledTimestamp: seconds(clock.now() + HOUR),
    });
    expect(reply.messageId).toBe(opened.messageId);
    expect(await statusOf(location.api, opened.messageId)).toBe('delivered');
    expect((await conversationOf(location.api, opened.conversationId)).lastMessageBody).toBe('Hello');

    clock.advance(HOUR + MINUTE);
    await runDue();
    expect((await conversationOf(location.api, opened.conversationId)).lastMessageBody).toBe('Following up');
    const records = await sentFor(harness, location.locationId, opened.messageId);
    expect(records.map((record) => record.emailId)).toEqual([opened.emailMessageId, reply.emailMessageId]);
  });
});

describe.each(ENGINES)('scheduled messages across restarts on %s', (engine) => {
  it('sends on start a message that came due while the server was stopped', async () => {
    const clock = new TestClock();
    const before = await startHarness(engine, { clock, env: noWorker, keepDatabase: true });
    try {
      const location = await createLocation(before);
      const scheduled = await send(location.api, {
        type: 'SMS',
        contactId: await phoneContact(location),
        message: 'while you were out',
        scheduledTimestamp: seconds(clock.now() + HOUR),
      });
      await before.close();

      clock.advance(2 * HOUR);
      const after = await startHarness(engine, {
        clock,
        database: before.database,
        env: { WORKER_ENABLED: 'true', WORKER_POLL_MS: '20' },
      });
      try {
        const api = after.client(location.token);
        const deadline = Date.now() + 10_000;
        while ((await statusOf(api, scheduled.messageId)) !== 'delivered' && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        expect(await statusOf(api, scheduled.messageId)).toBe('delivered');
        expect(await sentFor(after, location.locationId, scheduled.messageId)).toHaveLength(1);
      } finally {
        await after.close();
      }
    } finally {
      await before.database.drop();
    }
  });

  it('sends once a message scheduled before a restart that comes due after it', async () => {
    const clock = new TestClock();
    const before = await startHarness(engine, { clock, env: noWorker, keepDatabase: true });
    try {
      const location = await createLocation(before);
      const scheduled = await send(location.api, {
        type: 'SMS',
        contactId: await phoneContact(location),
        message: 'across a restart',
        scheduledTimestamp: seconds(clock.now() + HOUR),
      });
      await before.close();

      const after = await startHarness(engine, { clock, database: before.database, env: noWorker });
      try {
        const api = after.client(location.token);
        expect(await after.server.services.jobs.runDue()).toBe(0);
        expect(await statusOf(api, scheduled.messageId)).toBe('scheduled');
        clock.advance(HOUR + MINUTE);
        expect(await after.server.services.jobs.runDue()).toBe(1);
        expect(await after.server.services.jobs.runDue()).toBe(0);
        expect(await statusOf(api, scheduled.messageId)).toBe('delivered');
        expect(await sentFor(after, location.locationId, scheduled.messageId)).toHaveLength(1);
      } finally {
        await after.close();
      }
    } finally {
      await before.database.drop();
    }
  });

  it.runIf(engine === 'postgres')('delivers each message exactly once with two runners racing', async () => {
    const clock = new TestClock();
    const one = await startHarness(engine, { clock, env: noWorker, keepDatabase: true });
    let two: Harness | undefined;
    try {
      two = await startHarness(engine, { clock, database: one.database, env: noWorker });
      const location = await createLocation(one);
      const contacts = await Promise.all(Array.from({ length: 6 }, () => phoneContact(location)));
      const at = seconds(clock.now() + HOUR);
      const messageIds: string[] = [];
      for (let round = 0; round < 10; round += 1) {
        const sent = await Promise.all(
          contacts.map((contactId) =>
            send(location.api, { type: 'SMS', contactId, message: `race ${round}`, scheduledTimestamp: at }),
          ),
        );
        messageIds.push(...sent.map((s) => s.messageId));
      }
      clock.advance(HOUR + MINUTE);

      const runners = [one, two].map((h) => h.server.services.jobs.runDue());
      const ran = await Promise.all(runners);
      expect(ran.reduce((sum, n) => sum + n, 0)).toBe(messageIds.length);

      const db = one.server.store.db;
      const outbox = await db
        .selectFrom('dev_outbox')
        .select('message_id')
        .where('location_id', '=', location.locationId)
        .execute();
      expect(outbox).toHaveLength(messageIds.length);
      expect(new Set(outbox.map((row) => row.message_id))).toEqual(new Set(messageIds));
      const jobs = await db
        .selectFrom('jobs')
        .select(['status', 'attempts'])
        .where('location_id', '=', location.locationId)
        .execute();
      expect(jobs).toHaveLength(messageIds.length);
      expect(jobs.every((job) => job.status === 'done' && job.attempts === 1)).toBe(true);
    } finally {
      await two?.close();
      await one.close();
      await one.database.drop();
    }
  });
});

describe.each(ENGINES)('admin dev outbox on %s', (engine) => {
  const clock = new TestClock();
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(engine, { clock, env: noWorker });
  });
  afterAll(() => harness?.close());

  it('lists what would have been sent, oldest first, page by page', async () => {
    const location = await createLocation(harness);
    const contactId = await phoneContact(location);
    const sent: string[] = [];
    for (const text of ['one', 'two', 'three']) {
      sent.push((await send(location.api, { type: 'SMS', contactId, message: text })).messageId);
      await harness.server.services.jobs.runDue();
      clock.advance(1000);
    }
    const url = `/admin/v1/locations/${location.locationId}/outbox`;
    const first = await harness.admin.get(null, url, { query: { limit: 2 } });
    expect(first.status).toBe(200);
    expect(first.body.outbox.map((r: OutboxRecord) => r.messageId)).toEqual(sent.slice(0, 2));
    expect(first.body.outbox[0]).toMatchObject({
      id: expect.any(String),
      emailId: null,
      channel: 'TYPE_SMS',
      payload: { messageId: sent[0], body: 'one', locationId: location.locationId },
      dateAdded: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(first.body.nextAfter).toBe(first.body.outbox[1].id);
    const second = await harness.admin.get(null, url, { query: { limit: 2, after: first.body.nextAfter } });
    expect(second.body.outbox.map((r: OutboxRecord) => r.messageId)).toEqual(sent.slice(2));
    expect(second.body.nextAfter).toBeNull();
    expect((await outboxOf(harness, location.locationId, 1)).map((r) => r.messageId)).toEqual(sent);
  });

  it('refuses a bad cursor, an unknown location and a location token', async () => {
    const location = await createLocation(harness);
    const url = `/admin/v1/locations/${location.locationId}/outbox`;
    expect((await harness.admin.get(null, url, { query: { after: 'nope' } })).status).toBe(422);
    expect((await harness.admin.get(null, url, { query: { limit: 0 } })).status).toBe(422);
    expect((await harness.admin.get(null, '/admin/v1/locations/nowhere/outbox')).status).toBe(404);
    expect((await location.api.get(null, url)).status).toBe(401);
    expect((await harness.admin.get(null, url)).body).toMatchObject({ outbox: [], nextAfter: null });
  });
});
