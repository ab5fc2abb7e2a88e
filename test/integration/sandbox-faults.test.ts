// Sandbox faults, as an integrator's CI uses them to test its own retry and error handling: the API answering 429 to
// the official SDK, deliveries failing (retried, or at once), webhooks late or lost; and the refusals of bad faults.

import { HighLevel } from '@gohighlevel/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import {
  createApp,
  createContact,
  createConversation,
  createLocation,
  type TestLocation,
} from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { inbound, send, uniquePhone } from '../helpers/messages.js';
import { Receiver } from '../helpers/receiver.js';
import { expectSpec } from '../helpers/sdk.js';

describe.each(ENGINES)('sandbox faults (%s)', (engine) => {
  let harness: Harness;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    harness = await startHarness(engine, {
      // The SDK waits out X-RateLimit-Interval-Milliseconds before it retries a 429: keep the interval short.
      env: { CLOCK: 'virtual', RATE_LIMIT_INTERVAL_MS: '200' },
    });
  });
  afterAll(async () => {
    await harness?.close();
    await Promise.all(receivers.map((receiver) => receiver.close()));
  });

  const addFault = async (fault: Record<string, unknown>) => {
    const created = await harness.admin.post(null, '/admin/v1/faults', fault);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.fault as { id: string; hits: number; times: number | null };
  };
  const advance = (advanceMs: number) => harness.admin.post(null, '/admin/v1/clock', { advanceMs });
  const messageOf = async (location: TestLocation, messageId: string) =>
    (await location.api.get('conversations:get-message', `/conversations/messages/${messageId}`)).body.message;

  it('answers 429 with HighLevel rate-limit headers, and the SDK retries through it', async () => {
    const location = await createLocation(harness);
    const conversation = await createConversation(location);
    const fault = await addFault({
      target: 'api',
      match: { method: 'GET', route: '/conversations/{conversationId}', locationId: location.locationId },
      effect: { status: 429 },
      times: 3,
    });

    const refused = await location.api.get(null, `/conversations/${conversation.id}`);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ statusCode: 429, message: 'Too Many Requests' });
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('x-ratelimit-max')).toBe('100');
    expect(refused.headers.get('x-ratelimit-interval-milliseconds')).toBe('200');
    expect(refused.headers.get('x-ratelimit-limit-daily')).toBe('200000');
    expect(refused.headers.get('x-ratelimit-daily-remaining')).not.toBeNull();
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    const sdk = new HighLevel({ privateIntegrationToken: location.token, logLevel: 'none', rateLimitRetry: true });
    sdk.getHttpClient().defaults.baseURL = harness.baseUrl;
    const read = await sdk.conversations.getConversation({ conversationId: conversation.id });
    expectSpec('conversations:get-conversation', 200, read);
    expect(read).toMatchObject({ id: conversation.id });
    // Spent: the fault is gone, and the calls answer normally.
    const listed = await harness.admin.get(null, '/admin/v1/faults');
    expect(listed.body.faults.find((f: { id: string }) => f.id === fault.id)).toBeUndefined();
    expect((await location.api.get(null, `/conversations/${conversation.id}`)).status).toBe(200);
  });

  it('answers a chosen status and body to matching calls only', async () => {
    const location = await createLocation(harness);
    const other = await createLocation(harness);
    const contact = await createContact(location, { phone: uniquePhone() });
    const fault = await addFault({
      target: 'api',
      match: { method: 'post', route: '/conversations/messages', locationId: location.locationId },
      effect: { status: 503, body: { message: 'upstream down' } },
    });
    const failed = await send(location, { type: 'SMS', contactId: contact.id, message: 'x' }).catch(() => null);
    expect(failed).toBeNull(); // not the spec's shape: the helper's validation refuses it
    const raw = await location.api.post(null, '/conversations/messages', {
      type: 'SMS',
      contactId: contact.id,
      message: 'x',
    });
    expect(raw.status).toBe(503);
    expect(raw.body).toMatchObject({ message: 'upstream down' });
    // Another route, another location: untouched.
    expect((await location.api.get(null, `/contacts/${contact.id}`)).status).toBe(200);
    const elsewhere = await createContact(other, { phone: uniquePhone() });
    expect((await send(other, { type: 'SMS', contactId: elsewhere.id, message: 'fine' })).status).toBe(200);
    const listed = await harness.admin.get(null, '/admin/v1/faults');
    expect(listed.body.faults.find((f: { id: string }) => f.id === fault.id)).toMatchObject({ hits: 2, times: null });
    expect((await harness.admin.delete(null, `/admin/v1/faults/${fault.id}`)).status).toBe(200);
    expect((await send(location, { type: 'SMS', contactId: contact.id, message: 'x' })).status).toBe(200);
    expect((await harness.admin.delete(null, `/admin/v1/faults/${fault.id}`)).status).toBe(404);
  });

  it('fails a delivery at once when permanent, as a real permanent failure does', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: uniquePhone() });
    await addFault({
      target: 'delivery',
      match: { locationId: location.locationId, type: 'SMS' },
      effect: { error: 'Carrier rejected the number', status: 400, permanent: true },
      times: 1,
    });
    const sent = await send(location, { type: 'SMS', contactId: contact.id, message: 'doomed' });
    await advance(0);
    const message = await messageOf(location, sent.body.messageId);
    expect(message.status).toBe('failed');
    const stored = await harness.server.store.db
      .selectFrom('messages')
      .select(['status', 'error'])
      .where('id', '=', sent.body.messageId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(stored.error as string)).toEqual({
      code: '400',
      type: 'delivery',
      message: 'Carrier rejected the number (status 400)',
    });
    const outbox = await harness.admin.get(null, `/admin/v1/locations/${location.locationId}/outbox`);
    expect(outbox.body.outbox).toEqual([]);
  });

  it('fails a delivery transiently: the normal retry policy sends it on a later attempt, or fails it when spent', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: uniquePhone() });
    await addFault({
      target: 'delivery',
      match: { locationId: location.locationId },
      effect: { error: 'timeout' },
      times: 2,
    });
    const sent = await send(location, { type: 'SMS', contactId: contact.id, message: 'eventually' });
    await advance(0);
    expect((await messageOf(location, sent.body.messageId)).status).toBe('pending');
    await advance(10 * 60_000);
    expect((await messageOf(location, sent.body.messageId)).status).toBe('delivered');
    const job = await harness.server.store.db
      .selectFrom('jobs')
      .select(['attempts', 'status'])
      .where('subject_id', '=', sent.body.messageId)
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ attempts: 3, status: 'done' });

    await addFault({ target: 'delivery', match: { locationId: location.locationId }, effect: { error: 'timeout' } });
    const doomed = await send(location, { type: 'SMS', contactId: contact.id, message: 'never' });
    await advance(60 * 60_000);
    expect((await messageOf(location, doomed.body.messageId)).status).toBe('failed');
    await harness.admin.delete(null, '/admin/v1/faults');
  });

  it('delays or drops webhooks; a dropped one is dead in the delivery log', async () => {
    const receiver = await Receiver.start();
    receivers.push(receiver);
    const location = await createLocation(harness);
    const app = await createApp(harness, { webhookUrl: `${receiver.url}/hooks` });
    await harness.admin.put(null, `/admin/v1/locations/${location.locationId}/apps/${app.id}`);
    const contact = await createContact(location, { phone: uniquePhone() });

    await addFault({
      target: 'webhook',
      match: { appId: app.id, type: 'InboundMessage' },
      effect: { drop: true },
      times: 1,
    });
    await inbound(location, { type: 'SMS', contactId: contact.id, message: 'lost' });
    await advance(0);
    expect(receiver.ofType('InboundMessage')).toHaveLength(0);
    const dead = await harness.admin.get(null, `/admin/v1/apps/${app.id}/webhook-deliveries`, {
      query: { status: 'dead' },
    });
    expect(dead.body.deliveries).toHaveLength(1);
    expect(dead.body.deliveries[0]).toMatchObject({ type: 'InboundMessage', status: 'dead' });

    await addFault({
      target: 'webhook',
      match: { appId: app.id, type: 'InboundMessage' },
      effect: { delayMs: 30_000 },
      times: 1,
    });
    await inbound(location, { type: 'SMS', contactId: contact.id, message: 'late' });
    await advance(29_000);
    expect(receiver.ofType('InboundMessage')).toHaveLength(0);
    await advance(1_000);
    expect(receiver.ofType('InboundMessage')).toHaveLength(1);
    expect(receiver.ofType('InboundMessage')[0]?.json.body).toBe('late');
  });

  it('refuses a fault it cannot apply, naming the field', async () => {
    const bad = async (fault: unknown, field: string) => {
      const refused = await harness.admin.post(null, '/admin/v1/faults', fault);
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
      expect(refused.body.message.join(' ')).toContain(field);
    };
    await bad({ target: 'database', effect: { status: 500 } }, 'target');
    await bad({ target: 'api', effect: { status: 42 } }, 'effect.status');
    await bad({ target: 'api', effect: {} }, 'effect.status');
    await bad({ target: 'api', match: { verb: 'GET' }, effect: { status: 500 } }, 'match.verb');
    await bad({ target: 'api', match: { method: 'BREW' }, effect: { status: 500 } }, 'match.method');
    await bad({ target: 'delivery', effect: { status: 500 } }, 'effect.error');
    await bad({ target: 'webhook', effect: { drop: true, delayMs: 5 } }, 'effect');
    await bad({ target: 'webhook', effect: { drop: false } }, 'effect.drop');
    await bad({ target: 'api', effect: { status: 500 }, times: 0 }, 'times');
    await bad({ target: 'api', effect: { status: 500 }, probability: 2 }, 'probability');
    expect((await harness.client('nope').post(null, '/admin/v1/faults', { target: 'api' })).status).toBe(401);
    expect((await harness.client('nope').get(null, '/admin/v1/faults')).status).toBe(401);
  });
});
