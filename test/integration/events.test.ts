// The domain event log: every change is recorded in its own transaction, numbered per location without gaps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { loggedEvents } from '../helpers/event-log.js';
import { createContact, createLocation, createProvider, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { specErrors } from '../helpers/spec-validator.js';

describe.each(ENGINES)('domain events on %s', (engine) => {
  let harness: Harness;
  const clock = new TestClock();

  beforeAll(async () => {
    harness = await startHarness(engine, { clock, env: { WORKER_ENABLED: 'false' } });
  });
  afterAll(() => harness?.close());

  async function eventsOf(location: TestLocation) {
    return (await loggedEvents(harness, location.locationId)).map(({ seq, type, payload }) => ({ seq, type, payload }));
  }

  it('records sends, deliveries, inbound messages and conversation changes in order', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: '+15550001111' });
    const sent = await location.api.post('conversations:send-a-new-message', '/conversations/messages', {
      type: 'SMS',
      contactId: contact.id,
      message: 'Hello',
    });
    await harness.server.services.jobs.runDue();
    await location.api.post('conversations:add-an-inbound-message', '/conversations/messages/inbound', {
      type: 'SMS',
      contactId: contact.id,
      message: 'Hi back',
    });
    await location.api.put('conversations:update-conversation', `/conversations/${sent.body.conversationId}`, {
      locationId: location.locationId,
      unreadCount: 0,
      starred: true,
    });
    await location.api.delete('conversations:delete-conversation', `/conversations/${sent.body.conversationId}`);

    const events = await eventsOf(location);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events.map((e) => e.type)).toEqual([
      'conversation.updated', // the send's summary
      'message.created',
      'message.updated', // delivered by the dev outbox
      'conversation.updated', // the inbound message's summary and unread count
      'message.created',
      'conversation.updated', // PUT: unread reset, starred
      'conversation.deleted',
    ]);
    const created = events[1]?.payload;
    expect(created.message).toMatchObject({ id: sent.body.messageId, direction: 'outbound', body: 'Hello' });
    expect(
      specErrors('conversations', 'get-message', 200, { message: created.message, traceId: crypto.randomUUID() }),
    ).toEqual([]);
    expect(events[2]?.payload.message.status).toBe('delivered');
    expect(events[3]?.payload).toMatchObject({
      changes: expect.arrayContaining(['lastMessage', 'unreadCount']),
      conversation: { unreadCount: 1 },
    });
    expect(events[5]?.payload).toMatchObject({ changes: ['unreadCount', 'starred'], conversation: { starred: true } });
    expect(events[6]?.payload.conversation).toMatchObject({ id: sent.body.conversationId, deleted: true });
  });

  it('stores versioned internal records, which the presenters render as the REST API shows them', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: '+15550003333' });
    const sent = await location.api.post('conversations:send-a-new-message', '/conversations/messages', {
      type: 'Email',
      contactId: contact.id,
      html: '<p>Versioned</p>',
      subject: 'Stored',
    });
    expect(sent.status).toBe(200);
    const stored = await harness.server.store.db
      .selectFrom('domain_events')
      .select('payload')
      .where('location_id', '=', location.locationId)
      .where('type', '=', 'message.created')
      .executeTakeFirstOrThrow();
    // Rows, not wire shapes: nothing a presenter decides (ISO dates, type names) is stored.
    const record = JSON.parse(stored.payload);
    expect(record).toMatchObject({
      v: 1,
      conversation: { id: sent.body.conversationId, location_id: location.locationId },
      message: { id: sent.body.messageId, location_id: location.locationId, status: 'pending' },
      emailIds: [sent.body.emailMessageId],
    });
    expect(record.message.messageType).toBeUndefined();
    const rendered = (await eventsOf(location)).find((event) => event.type === 'message.created')?.payload;
    const rest = await location.api.get('conversations:get-message', `/conversations/messages/${sent.body.messageId}`);
    expect(rendered.message).toEqual(rest.body.message);
    expect(rendered.conversation).toMatchObject({
      id: sent.body.conversationId,
      contactId: contact.id,
      deleted: false,
    });
    // Its delivery runs now, so later tests find none of this test's jobs due.
    await harness.server.services.jobs.runDue();
  });

  it('records nothing for a write that fails, and numbers concurrent writes without gaps or repeats', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: '+15550002222', email: null });
    const refused = await location.api.post('conversations:send-a-new-message', '/conversations/messages', {
      type: 'Email',
      contactId: contact.id,
      html: '<p>no email address on this contact</p>',
    });
    expect(refused.status).toBe(400);
    expect(await eventsOf(location)).toEqual([]);

    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        location.api.post('conversations:add-an-inbound-message', '/conversations/messages/inbound', {
          type: 'SMS',
          contactId: contact.id,
          message: `burst ${i}`,
        }),
      ),
    );
    const events = await eventsOf(location);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events.filter((e) => e.type === 'message.created')).toHaveLength(20);
  });

  it('never deadlocks when deliveries and provider reports touch the same emails at once', async () => {
    const location = await createLocation(harness);
    const provider = await createProvider(harness, location, { type: 'Email' });
    const emails: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      const contact = await createContact(location);
      const sent = await location.api.post('conversations:send-a-new-message', '/conversations/messages', {
        type: 'Email',
        contactId: contact.id,
        html: `<p>Mail ${i}</p>`,
        conversationProviderId: provider.providerId,
      });
      emails.push(sent.body.emailMessageId);
    }
    const reports = emails.map((id) =>
      provider.app.api.put('conversations:update-email-message-status', `/conversations/messages/email/${id}/status`, {
        status: 'delivered',
        events: { delivered: 1 },
      }),
    );
    const [ran, ...answers] = await Promise.all([harness.server.services.jobs.runDue(), ...reports]);
    expect(ran).toBe(12);
    expect(answers.map((answer) => answer.status)).toEqual(emails.map(() => 200));
  });
});
