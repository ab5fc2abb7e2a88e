// Idempotency-Key on send: a repeat answers the first result and creates nothing, even when repeats race.
import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';

describe.each(ENGINES)('Idempotency-Key on send on %s', (engine) => {
  const clock = new TestClock();
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(engine, { clock, env: { WORKER_ENABLED: 'false' } });
  });
  afterAll(() => harness?.close());

  const phone = () => `+1555${randomInt(1_000_000, 9_999_999)}`;

  function sendWithKey(location: TestLocation, key: string, body: Record<string, unknown>) {
    return location.api.post('conversations:send-a-new-message', '/conversations/messages', body, {
      headers: { 'idempotency-key': key },
    });
  }

  async function messagesOf(location: TestLocation, conversationId: string): Promise<string[]> {
    const page = await location.api.get('conversations:get-messages', `/conversations/${conversationId}/messages`, {
      query: { limit: 100 },
    });
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    return (page.body.messages.messages as { id: string }[]).map((message) => message.id);
  }

  async function outboxCount(locationId: string): Promise<number> {
    await harness.server.services.jobs.runDue();
    const page = await harness.admin.get(null, `/admin/v1/locations/${locationId}/outbox`, { query: { limit: 100 } });
    expect(page.status).toBe(200);
    return page.body.outbox.length;
  }

  it('answers a repeat with the first result and sends once', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: phone() });
    const key = randomUUID();
    const body = { type: 'SMS', contactId: contact.id, message: 'once' };
    const first = await sendWithKey(location, key, body);
    expect(first.status).toBe(200);
    // The same body with its keys in another order is the same request.
    const repeat = await sendWithKey(location, key, { message: 'once', contactId: contact.id, type: 'SMS' });
    expect(repeat.status).toBe(200);
    const { traceId: _first, ...firstResult } = first.body;
    const { traceId: _repeat, ...repeatResult } = repeat.body;
    expect(repeatResult).toEqual(firstResult);
    expect(await messagesOf(location, first.body.conversationId)).toEqual([first.body.messageId]);
    expect(await outboxCount(location.locationId)).toBe(1);
  });

  it('refuses the same key with a different body', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: phone() });
    const key = randomUUID();
    const first = await sendWithKey(location, key, { type: 'SMS', contactId: contact.id, message: 'a' });
    expect(first.status).toBe(200);
    const other = await sendWithKey(location, key, { type: 'SMS', contactId: contact.id, message: 'b' });
    expect(other.status).toBe(422);
    expect(other.body.message).toEqual([expect.stringContaining('Idempotency-Key')]);
    expect(await messagesOf(location, first.body.conversationId)).toEqual([first.body.messageId]);
  });

  it.each([
    ['for a new conversation', false],
    ['in an existing conversation', true],
  ])('creates one message when five duplicates race %s', async (_, existing) => {
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: phone() });
    if (existing) await createConversation(location, contact.id);
    const key = randomUUID();
    const body = { type: 'SMS', contactId: contact.id, message: 'raced' };
    const answers = await Promise.all(Array.from({ length: 5 }, () => sendWithKey(location, key, body)));
    for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const ids = new Set(answers.map((answer) => answer.body.messageId));
    expect(ids.size).toBe(1);
    const conversationId = answers[0]?.body.conversationId as string;
    expect(await messagesOf(location, conversationId)).toEqual([...ids]);
    expect(await outboxCount(location.locationId)).toBe(1);
  });

  it('keeps keys per location', async () => {
    const [one, two] = [await createLocation(harness), await createLocation(harness)];
    const key = randomUUID();
    const sentOne = await sendWithKey(one, key, {
      type: 'SMS',
      contactId: (await createContact(one, { phone: phone() })).id,
      message: 'hi',
    });
    const sentTwo = await sendWithKey(two, key, {
      type: 'SMS',
      contactId: (await createContact(two, { phone: phone() })).id,
      message: 'hi',
    });
    expect(sentOne.status).toBe(200);
    expect(sentTwo.status).toBe(200);
    expect(sentTwo.body.messageId).not.toBe(sentOne.body.messageId);
  });

  it('refuses an over-long or empty key', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: phone() });
    const body = { type: 'SMS', contactId: contact.id, message: 'x' };
    const long = await sendWithKey(location, 'k'.repeat(256), body);
    expect(long.status).toBe(422);
    expect(long.body.message).toEqual([expect.stringContaining('Idempotency-Key')]);
    expect((await sendWithKey(location, '', body)).status).toBe(422);
    expect((await sendWithKey(location, 'k'.repeat(255), body)).status).toBe(200);
  });
});
