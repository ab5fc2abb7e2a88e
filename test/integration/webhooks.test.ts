// Webhooks (docs/behaviour.md#webhooks) against real HTTP receivers: every type with its envelope and fields, signed so
// the official SDK's WebhookManager verifies it; written in the transaction of the change; retried with backoff up to
// 12 times, logged attempt by attempt, redelivered on demand; never sent to private addresses. The worker is off and
// the clock is the test's: each test runs the jobs that are due and moves time itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createApp, createContact, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { inbound, outboundCall, send, uniquePhone } from '../helpers/messages.js';
import { Receiver } from '../helpers/receiver.js';
import { publicKeyOf, sdkFor, sdkVerdict } from '../helpers/webhooks.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(ENGINES)('webhooks on %s', (engine) => {
  let harness: Harness;
  const clock = new TestClock();
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    harness = await startHarness(engine, { clock, env: { WORKER_ENABLED: 'false' } });
  });
  afterAll(async () => {
    await harness?.close();
    await Promise.all(receivers.map((receiver) => receiver.close()));
  });

  const runJobs = () => harness.server.services.jobs.runDue();
  async function receiver(respond?: (index: number) => number) {
    const started = await Receiver.start(respond ? (_request, index) => respond(index) : undefined);
    receivers.push(started);
    return started;
  }
  /** A location with an app installed that sends its webhooks to `to`. */
  async function subscribed(to: Receiver, fields: Record<string, unknown> = {}) {
    const location = await createLocation(harness);
    const app = await createApp(harness, { webhookUrl: `${to.url}/hooks`, ...fields });
    const installed = await harness.admin.put(null, `/admin/v1/locations/${location.locationId}/apps/${app.id}`);
    expect(installed.status).toBe(201);
    return { location, app };
  }
  const inboundSms = async (location: TestLocation, message = 'Hi') => {
    const contact = await createContact(location, { phone: uniquePhone() });
    return inbound(location, { type: 'SMS', contactId: contact.id, message });
  };
  const deliveryLog = async (appId: string, deliveryId: string) =>
    (await harness.admin.get(null, `/admin/v1/apps/${appId}/webhook-deliveries/${deliveryId}`)).body.delivery;
  const redeliver = (appId: string, deliveryId: string) =>
    harness.admin.post(null, `/admin/v1/apps/${appId}/webhook-deliveries/${deliveryId}/redeliver`);
  const jobOf = (deliveryId: string) =>
    harness.server.store.db
      .selectFrom('jobs')
      .selectAll()
      .where('subject_id', '=', deliveryId)
      .where('kind', '=', 'webhook.deliver')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();

  it('tells every change with the envelope and fields of HighLevel, signed so the SDK verifies it', async () => {
    const to = await receiver();
    const { location, app } = await subscribed(to);
    const contact = await createContact(location, { phone: uniquePhone() });
    const sms = await send(location, { type: 'SMS', contactId: contact.id, message: 'Hello' });
    const reply = await inbound(location, { type: 'SMS', contactId: contact.id, message: 'Hi back' });
    const conversationId = sms.body.conversationId as string;
    await location.api.put('conversations:update-conversation', `/conversations/${conversationId}`, {
      locationId: location.locationId,
      unreadCount: 0,
    });
    const email = await send(location, { type: 'Email', contactId: contact.id, html: '<p>Hi</p>', subject: 'Hey' });
    const call = await outboundCall(location, { type: 'Call', conversationId, call: { status: 'completed' } });
    await runJobs(); // the email's delivery, then every webhook
    await location.api.delete('conversations:delete-conversation', `/conversations/${conversationId}`);
    await runJobs();

    const bodies = to.requests.map((request) => request.json);
    const ofType = (type: string) => bodies.filter((body) => body.type === type);
    const envelope = { locationId: location.locationId, appId: app.id, timestamp: expect.any(String) };
    for (const body of bodies) {
      expect(body).toMatchObject({ ...envelope, webhookId: expect.stringMatching(UUID) });
      expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false);
    }
    expect(new Set(bodies.map((body) => body.webhookId)).size).toBe(bodies.length);
    const common = { contactId: contact.id, conversationId, attachments: [], dateAdded: expect.any(String) };
    expect(ofType('OutboundMessage')).toEqual(
      expect.arrayContaining([
        {
          ...envelope,
          ...common,
          type: 'OutboundMessage',
          webhookId: expect.any(String),
          body: 'Hello',
          contentType: 'text/plain',
          direction: 'outbound',
          messageType: 'SMS',
          messageTypeId: 2,
          messageTypeString: 'TYPE_SMS',
          status: 'pending',
          messageId: sms.body.messageId,
          source: 'api',
          to: contact.phone,
        },
        expect.objectContaining({
          messageId: email.body.messageId,
          emailMessageId: email.body.emailMessageId,
          threadId: email.body.emailMessageId,
          messageType: 'Email',
          messageTypeId: 3,
          contentType: 'text/html',
          body: '<p>Hi</p>',
          subject: 'Hey',
          to: contact.email,
          from: expect.any(String),
          cc: '',
          ccList: [],
          bccList: [],
          provider: expect.any(String),
        }),
        expect.objectContaining({ messageId: call.body.messageId, messageType: 'CALL', callStatus: 'completed' }),
      ]),
    );
    expect(ofType('InboundMessage')).toEqual([
      expect.objectContaining({
        ...common,
        messageId: reply.body.messageId,
        direction: 'inbound',
        body: 'Hi back',
        messageType: 'SMS',
        status: 'delivered',
      }),
    ]);
    const unread = ofType('ConversationUnreadUpdate').map(({ unreadCount, deleted }) => ({ unreadCount, deleted }));
    expect(unread).toEqual(
      expect.arrayContaining([
        { unreadCount: 1, deleted: false },
        { unreadCount: 0, deleted: false },
        { unreadCount: 0, deleted: true },
      ]),
    );
    expect(ofType('ConversationUnreadUpdate')[0]).toMatchObject({
      id: conversationId,
      contactId: contact.id,
      inbox: true,
      starred: false,
    });
    expect(ofType('LCEmailStats')).toEqual([
      expect.objectContaining({
        emailMessageId: email.body.emailMessageId,
        webhookPayload: expect.objectContaining({
          event: 'delivered',
          recipient: contact.email,
          message: expect.objectContaining({
            headers: expect.objectContaining({ 'message-id': expect.stringContaining(email.body.emailMessageId) }),
          }),
        }),
      }),
    ]);

    // Compact JSON, and the SDK's own middleware verifies each signature with the published key.
    const sdk = sdkFor(app.id, await publicKeyOf(harness));
    for (const request of to.requests) {
      expect(request.raw.toString()).toBe(JSON.stringify(request.json));
      expect(request.headers['content-type']).toBe('application/json');
      expect(await sdkVerdict(sdk, request)).toEqual({ valid: true, skipped: false });
    }
    const first = to.requests[0];
    if (!first) throw new Error('no webhook received');
    const tampered = { ...first, raw: Buffer.from(first.raw.toString().replace(location.locationId, 'elsewhere')) };
    expect(await sdkVerdict(sdk, tampered)).toEqual({ valid: false, skipped: false });
  });

  it('sends each app only what its scopes and subscriptions allow, on locations it is installed on', async () => {
    const to = await receiver();
    const { location, app: unread } = await subscribed(to, { scopes: ['conversations.readonly'] });
    const inboundOnly = await createApp(harness, {
      webhookUrl: `${to.url}/inbound`,
      webhookEvents: ['InboundMessage'],
    });
    const elsewhere = await createApp(harness, { webhookUrl: `${to.url}/elsewhere` });
    const silent = await createApp(harness);
    for (const app of [inboundOnly, silent]) {
      await harness.admin.put(null, `/admin/v1/locations/${location.locationId}/apps/${app.id}`);
    }
    await inboundSms(location);
    await runJobs();
    const received = to.requests.map((request) => [request.json.appId, request.json.type]);
    expect(received.sort()).toEqual(
      [
        [unread.id, 'ConversationUnreadUpdate'],
        [inboundOnly.id, 'InboundMessage'],
      ].sort(),
    );
    expect(received.some(([appId]) => appId === elsewhere.id)).toBe(false);
  });

  it('sends nothing for a change that rolls back', async () => {
    const to = await receiver();
    const { location, app } = await subscribed(to);
    const contact = await createContact(location, { phone: uniquePhone(), email: null });
    const refused = await send(location, { type: 'Email', contactId: contact.id, html: '<p>no address</p>' });
    expect(refused.status).toBe(400);
    const conversationId = (await inboundSms(location)).body.conversationId;
    await runJobs();
    const before = to.requests.length;
    await expect(
      harness.server.store.unit(async ({ db, emit }) => {
        await db.updateTable('conversations').set({ unread_count: 7 }).where('id', '=', conversationId).execute();
        emit({
          type: 'conversation.updated',
          locationId: location.locationId,
          conversationId,
          changes: ['unreadCount'],
        });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await runJobs();
    expect(to.requests.length).toBe(before);
    const log = await harness.admin.get(null, `/admin/v1/apps/${app.id}/webhook-deliveries`);
    expect(log.body.deliveries).toHaveLength(before);
  });

  it('retries a receiver that is down with exponential backoff, and it gets the webhook on the fourth attempt', async () => {
    const flaky = await receiver((index) => (index < 3 ? 503 : 200));
    const { location, app } = await subscribed(flaky, { webhookEvents: ['InboundMessage'] });
    await inboundSms(location);
    await runJobs();
    const deliveryId = flaky.requests[0]?.json.webhookId as string;
    await runJobs(); // not due yet
    expect(flaky.requests).toHaveLength(1);
    const delays: number[] = [];
    for (let retry = 1; retry <= 3; retry += 1) {
      const job = await jobOf(deliveryId);
      delays.push(job.run_at - clock.now());
      clock.set(job.run_at - 1);
      await runJobs();
      expect(flaky.requests).toHaveLength(retry);
      clock.set(job.run_at);
      await runJobs();
      expect(flaky.requests).toHaveLength(retry + 1);
    }
    // Exponential with jitter: the nth retry waits between half and all of 10 s × 2^(n-1).
    delays.forEach((delay, n) => {
      expect(delay).toBeGreaterThanOrEqual(5_000 * 2 ** n);
      expect(delay).toBeLessThanOrEqual(10_000 * 2 ** n);
    });
    // The same bytes every time: receivers dedupe by webhookId.
    expect(new Set(flaky.requests.map((request) => request.raw.toString())).size).toBe(1);
    const log = await deliveryLog(app.id, deliveryId);
    expect(log).toMatchObject({ status: 'delivered', attempts: 4, lastStatusCode: 200, lastError: null });
    expect(log.attemptLog.map((a: { statusCode: number }) => a.statusCode)).toEqual([503, 503, 503, 200]);
    // The log shows the signature header every attempt carried (Ed25519 signs the same bytes the same way).
    expect(log.signature).toBe(flaky.requests[0]?.headers['x-ghl-signature']);
    const listed = await harness.admin.get(null, `/admin/v1/apps/${app.id}/webhook-deliveries`, {
      query: { status: 'delivered' },
    });
    expect(listed.body.deliveries.map((d: { id: string }) => d.id)).toEqual([deliveryId]);
  });

  it('gives up after 12 retries with every attempt logged, and redelivers on demand', async () => {
    let answer = 500;
    const down = await receiver(() => answer);
    const { location, app } = await subscribed(down, { webhookEvents: ['InboundMessage'] });
    await inboundSms(location);
    for (let attempt = 1; attempt <= 13; attempt += 1) {
      await runJobs();
      expect(down.requests).toHaveLength(attempt);
      clock.advance(60 * 60_000);
    }
    await runJobs();
    expect(down.requests).toHaveLength(13);
    const deliveryId = down.requests[0]?.json.webhookId as string;
    const dead = await deliveryLog(app.id, deliveryId);
    expect(dead).toMatchObject({ status: 'dead', attempts: 13, lastStatusCode: 500, lastError: 'answered 500' });
    expect(dead.attemptLog).toHaveLength(13);
    expect(dead.attemptLog.every((a: { statusCode: number }) => a.statusCode === 500)).toBe(true);
    expect(dead.payload).toEqual(down.requests[0]?.json);

    answer = 200;
    const again = await redeliver(app.id, deliveryId);
    expect(again.status).toBe(202);
    expect(again.body.delivery.status).toBe('pending');
    await runJobs();
    expect(down.requests).toHaveLength(14);
    expect(down.requests[13]?.raw.equals(down.requests[0]?.raw as Buffer)).toBe(true);
    expect(await deliveryLog(app.id, deliveryId)).toMatchObject({ status: 'delivered', attempts: 14 });

    // A delivered webhook may be sent again too; one still being retried may not.
    answer = 503;
    expect((await redeliver(app.id, deliveryId)).status).toBe(202);
    await runJobs();
    expect((await redeliver(app.id, deliveryId)).status).toBe(409);
    expect((await redeliver(app.id, 'unknown')).status).toBe(404);
    const other = await createApp(harness);
    expect((await redeliver(other.id, deliveryId)).status).toBe(404);
  });

  it('refuses webhook URLs on private or loopback addresses, at registration and when sending', async () => {
    for (const webhookUrl of ['http://10.0.0.1/hooks', 'http://[fd00::1]/hooks', 'http://127.0.0.2:9/hooks']) {
      const created = await harness.admin.post(null, '/admin/v1/apps', { name: 'Private', webhookUrl });
      expect(created.status, webhookUrl).toBe(422);
      expect(created.body.message).toEqual(['webhookUrl resolves to a private or loopback address']);
    }
    const to = await receiver();
    const { location, app } = await subscribed(to, { webhookEvents: ['InboundMessage'] });
    const patched = await harness.admin.patch(null, `/admin/v1/apps/${app.id}`, { webhookUrl: 'http://192.168.1.1/' });
    expect(patched.status).toBe(422);
    // Stored when it was fine (DNS since changed, the allow-list since shortened): refused at send time as well.
    await harness.server.store.db
      .updateTable('apps')
      .set({ webhook_url: 'http://127.0.0.2:9/hooks' })
      .where('id', '=', app.id)
      .execute();
    await inboundSms(location);
    await runJobs();
    expect(to.requests).toHaveLength(0);
    const [delivery] = (await harness.admin.get(null, `/admin/v1/apps/${app.id}/webhook-deliveries`)).body.deliveries;
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
    expect((await deliveryLog(app.id, delivery.id)).attemptLog[0]).toMatchObject({
      url: 'http://127.0.0.2:9/hooks',
      error: 'resolves to a private or loopback address',
    });
  });

  it('keeps its key pair and every queued webhook across a restart', async () => {
    const first = await startHarness(engine, { clock, keepDatabase: true, env: { WORKER_ENABLED: 'false' } });
    const to = await receiver();
    let restarted: Harness | undefined;
    try {
      const location = await createLocation(first);
      const app = await createApp(first, { webhookUrl: `${to.url}/hooks`, webhookEvents: ['InboundMessage'] });
      await first.admin.put(null, `/admin/v1/locations/${location.locationId}/apps/${app.id}`);
      await inboundSms(location);
      const key = await publicKeyOf(first);
      await first.close(); // committed, not yet delivered
      restarted = await startHarness(engine, { clock, database: first.database, env: { WORKER_ENABLED: 'false' } });
      expect(await publicKeyOf(restarted)).toBe(key);
      await restarted.server.services.jobs.runDue();
      const [delivered, ...more] = to.ofType('InboundMessage');
      if (!delivered) throw new Error('the queued webhook was lost in the restart');
      expect(more).toHaveLength(0);
      expect(await sdkVerdict(sdkFor(app.id, key), delivered)).toEqual({ valid: true, skipped: false });
    } finally {
      await restarted?.close();
      await first.database.drop();
    }
  });
});
