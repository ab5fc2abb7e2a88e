// Apps and conversation providers: the admin API, and a custom provider end to end against a real HTTP receiver
// (docs/behaviour.md#providers): the signed ProviderOutboundMessage, `sent`, the provider's own reports, its inbound
// messages, retries of a failing delivery URL, and the refusal of private addresses. The worker is off: the test runs
// jobs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import {
  createApp,
  createContact,
  createLocation,
  createProvider,
  type TestLocation,
  type TestProvider,
} from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { inbound, send, uniquePhone } from '../helpers/messages.js';
import { Receiver } from '../helpers/receiver.js';
import { publicKeyOf, sdkFor } from '../helpers/webhooks.js';

const HEX24 = /^[0-9a-f]{24}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(ENGINES)('conversation providers on %s', (engine) => {
  let harness: Harness;
  let receiver: Receiver;
  const clock = new TestClock();

  beforeAll(async () => {
    harness = await startHarness(engine, { clock, env: { WORKER_ENABLED: 'false' } });
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    await harness?.close();
    await receiver?.close();
  });

  const runJobs = () => harness.server.services.jobs.runDue();
  const getMessage = async (location: TestLocation, id: string) =>
    (await location.api.get('conversations:get-message', `/conversations/messages/${id}`)).body.message;
  const putStatus = (as: TestLocation, messageId: string, body: Record<string, unknown>) =>
    as.api.put('conversations:update-message-status', `/conversations/messages/${messageId}/status`, body);
  /** The deliveries that reached `path` on the receiver. */
  const deliveriesTo = (path: string) => receiver.requests.filter((request) => request.path === path);
  /** A location whose SMS and Email go to a provider of one app, delivered to /<path>/sms and /<path>/email. */
  async function providerLocation(path: string, options: { isDefault?: boolean } = {}) {
    const location = await createLocation(harness);
    const sms = await createProvider(harness, location, { deliveryUrl: `${receiver.url}/${path}/sms`, ...options });
    const email = await createProvider(harness, location, {
      type: 'Email',
      appId: sms.appId,
      deliveryUrl: `${receiver.url}/${path}/email`,
      ...options,
    });
    return { location, sms, email };
  }

  it('manages apps and providers through the admin API', async () => {
    const admin = harness.admin;
    const created = await admin.post(null, '/admin/v1/apps', {
      name: 'Gateway',
      scopes: ['conversations/message.write'],
    });
    expect(created.status).toBe(201);
    const app = created.body.app;
    expect(app).toMatchObject({ name: 'Gateway', scopes: ['conversations/message.write'], webhookUrl: null });
    expect(app.id).toMatch(HEX24);
    expect((await admin.get(null, `/admin/v1/apps/${app.id}`)).body.app).toEqual(app);
    expect((await admin.get(null, '/admin/v1/apps')).body.apps).toContainEqual(app);
    const renamed = await admin.patch(null, `/admin/v1/apps/${app.id}`, { name: 'Gateway 2' });
    expect(renamed.body.app.name).toBe('Gateway 2');
    expect((await admin.post(null, '/admin/v1/apps', { name: 'Same', id: app.id })).status).toBe(409);
    expect((await admin.get(null, '/admin/v1/apps/ffffffffffffffffffffffff')).status).toBe(404);
    expect((await admin.patch(null, '/admin/v1/apps/ffffffffffffffffffffffff', { name: 'x' })).status).toBe(404);
    for (const body of [{}, { name: '' }, { name: 'x', scopes: ['everything'] }, { name: 'x', id: 'not-hex' }]) {
      expect((await admin.post(null, '/admin/v1/apps', body)).status, JSON.stringify(body)).toBe(422);
    }

    const url = `${receiver.url}/admin`;
    const provider = await admin.post(null, `/admin/v1/apps/${app.id}/providers`, {
      name: 'SMS gateway',
      type: 'SMS',
      deliveryUrl: url,
    });
    expect(provider.status).toBe(201);
    expect(provider.body.provider).toMatchObject({ appId: app.id, name: 'SMS gateway', type: 'SMS', deliveryUrl: url });
    const providerId = provider.body.provider.id as string;
    expect(providerId).toMatch(HEX24);
    for (const body of [
      { name: 'x', type: 'Fax', deliveryUrl: url },
      { name: 'x', type: 'SMS' },
    ]) {
      expect((await admin.post(null, `/admin/v1/apps/${app.id}/providers`, body)).status).toBe(422);
    }
    // The type is fixed once made: a location's default for a channel stays a provider of that channel.
    expect(
      (await admin.patch(null, `/admin/v1/apps/${app.id}/providers/${providerId}`, { type: 'Email' })).status,
    ).toBe(422);
    const moved = await admin.patch(null, `/admin/v1/apps/${app.id}/providers/${providerId}`, {
      deliveryUrl: `${url}/v2`,
    });
    expect(moved.body.provider.deliveryUrl).toBe(`${url}/v2`);
    expect((await admin.get(null, `/admin/v1/apps/${app.id}/providers`)).body.providers).toHaveLength(1);
    const other = await createApp(harness);
    expect((await admin.get(null, `/admin/v1/apps/${other.id}/providers/${providerId}`)).status).toBe(404);

    // Installed on a location: as its SMS default, which a second default of the channel then replaces.
    const location = await createLocation(harness);
    const base = `/admin/v1/locations/${location.locationId}/providers`;
    const installed = await admin.post(null, base, { providerId, isDefault: true });
    expect(installed.status).toBe(201);
    expect(installed.body.provider).toMatchObject({ id: providerId, locationId: location.locationId, isDefault: true });
    expect((await admin.post(null, base, { providerId })).status).toBe(409);
    expect((await admin.post(null, base, { providerId: 'ffffffffffffffffffffffff' })).status).toBe(422);
    expect((await admin.post(null, '/admin/v1/locations/nowhere/providers', { providerId })).status).toBe(404);
    const second = await createProvider(harness, location, { isDefault: true });
    const listed = (await admin.get(null, base)).body.providers as { id: string; isDefault: boolean }[];
    expect(Object.fromEntries(listed.map((p) => [p.id, p.isDefault]))).toEqual({
      [providerId]: false,
      [second.providerId]: true,
    });
    const patched = await admin.patch(null, `${base}/${providerId}`, { isDefault: true });
    expect(patched.body.provider.isDefault).toBe(true);
    expect((await admin.get(null, `${base}/${second.providerId}`)).body.provider.isDefault).toBe(false);
    // Installing the provider installed its app.
    const apps = (await admin.get(null, `/admin/v1/locations/${location.locationId}/apps`)).body.apps;
    expect(apps.map((a: { id: string }) => a.id)).toContain(app.id);

    // Tokens of the app: its scopes by default and at most; uninstalling the app revokes them on the location.
    const tokens = `/admin/v1/locations/${location.locationId}/tokens`;
    const token = await admin.post(null, tokens, { appId: app.id });
    expect(token.status).toBe(201);
    expect(token.body).toMatchObject({ appId: app.id, scopes: ['conversations/message.write'] });
    expect((await admin.post(null, tokens, { appId: app.id, scopes: ['contacts.write'] })).status).toBe(422);
    expect((await admin.post(null, tokens, { appId: 'ffffffffffffffffffffffff' })).status).toBe(422);
    const appClient = harness.client(token.body.token);
    const probe = () => appClient.get(null, '/conversations/messages/nope', { raw: true });
    expect((await probe()).status).toBe(401); // scope: message.readonly is not the app's
    expect((await admin.delete(null, `/admin/v1/locations/${location.locationId}/apps/${app.id}`)).status).toBe(200);
    expect((await probe()).body.message).toBe('Invalid Private Integration token');
    expect((await admin.get(null, `${base}/${providerId}`)).status).toBe(404);

    expect((await admin.delete(null, `/admin/v1/apps/${app.id}/providers/${providerId}`)).status).toBe(200);
    expect((await admin.get(null, `/admin/v1/apps/${app.id}/providers/${providerId}`)).status).toBe(404);
    expect((await admin.delete(null, `/admin/v1/apps/${app.id}`)).status).toBe(200);
    expect((await admin.get(null, `/admin/v1/apps/${app.id}`)).status).toBe(404);
  });

  it('hands a custom provider its messages, signed, and takes its reports and inbound messages', async () => {
    const { location, sms } = await providerLocation('roundtrip');
    const contact = await createContact(location, { phone: uniquePhone() });
    const sent = await send(location, {
      type: 'SMS',
      contactId: contact.id,
      message: 'Your code is 1234',
      attachments: ['https://files.example.com/a.png'],
      conversationProviderId: sms.providerId,
      userId: 'user-1',
    });
    expect(sent.status).toBe(200);
    await runJobs();

    const [delivered] = deliveriesTo('/roundtrip/sms');
    expect(delivered?.method).toBe('POST');
    expect(delivered?.json).toEqual({
      contactId: contact.id,
      locationId: location.locationId,
      messageId: sent.body.messageId,
      type: 'SMS',
      attachments: ['https://files.example.com/a.png'],
      message: 'Your code is 1234',
      phone: contact.phone,
      userId: 'user-1',
      timestamp: new Date(clock.now()).toISOString(),
      webhookId: expect.stringMatching(UUID),
    });
    // Compact JSON, signed over its exact bytes with the key the admin API publishes.
    const raw = delivered?.raw as Buffer;
    expect(raw.toString()).toBe(JSON.stringify(JSON.parse(raw.toString())));
    const publicKey = await publicKeyOf(harness);
    const signature = delivered?.headers['x-ghl-signature'] as string;
    const webhooks = sdkFor(sms.appId, publicKey).webhooks;
    expect(webhooks.verifyEd25519Signature(raw, signature, publicKey)).toBe(true);
    expect(webhooks.verifyEd25519Signature(Buffer.from(`${raw} `), signature, publicKey)).toBe(false);

    // Handed over: `sent` until the provider reports, which only its own app may do.
    expect(await getMessage(location, sent.body.messageId)).toMatchObject({
      status: 'sent',
      conversationProviderId: sms.providerId,
    });
    const foreign = await createProvider(harness, location);
    for (const as of [foreign.app, location]) {
      const refused = await putStatus(as, sent.body.messageId, { status: 'delivered' });
      expect(refused.status).toBe(401);
      expect(refused.body.canonicalCode).toBe('CONVERSATIONS_MSG_PROVIDER_NO_ACCESS');
    }
    expect((await putStatus(sms.app, sent.body.messageId, { status: 'delivered' })).status).toBe(200);
    expect((await getMessage(location, sent.body.messageId)).status).toBe('delivered');
    await runJobs();
    expect(deliveriesTo('/roundtrip/sms')).toHaveLength(1);

    // The contact answers through the provider.
    const reply = await inbound(sms.app, {
      type: 'SMS',
      contactId: contact.id,
      message: 'Thanks',
      conversationProviderId: sms.providerId,
      altId: 'gateway-42',
    });
    expect(reply.status).toBe(200);
    expect(await getMessage(location, reply.body.messageId)).toMatchObject({
      direction: 'inbound',
      conversationProviderId: sms.providerId,
      altId: 'gateway-42',
    });
    const unknown = await inbound(sms.app, {
      type: 'SMS',
      contactId: contact.id,
      message: 'x',
      conversationProviderId: 'f'.repeat(24),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe('Invalid conversationProviderId');
  });

  it('sends a channel through the location’s default provider, email included', async () => {
    const { location, sms, email } = await providerLocation('defaults', { isDefault: true });
    const contact = await createContact(location, { phone: uniquePhone() });
    const text = await send(location, { type: 'SMS', contactId: contact.id, message: 'Default route' });
    const mail = await send(location, {
      type: 'Email',
      contactId: contact.id,
      html: '<p>Hello</p>',
      subject: 'Welcome',
      emailCc: ['cc@example.com'],
    });
    await runJobs();
    expect((await getMessage(location, text.body.messageId)).conversationProviderId).toBe(sms.providerId);
    expect(deliveriesTo('/defaults/sms')[0]?.json).toMatchObject({ messageId: text.body.messageId, type: 'SMS' });
    expect(deliveriesTo('/defaults/email')[0]?.json).toMatchObject({
      messageId: mail.body.messageId,
      emailMessageId: mail.body.emailMessageId,
      type: 'Email',
      emailTo: [contact.email],
      emailFrom: expect.any(String),
      emailCc: ['cc@example.com'],
      html: '<p>Hello</p>',
      subject: 'Welcome',
    });
    const emailPath = `/conversations/messages/email/${mail.body.emailMessageId}`;
    expect((await location.api.get('conversations:get-email-by-id', emailPath)).body).toMatchObject({
      status: 'sent',
      conversationProviderId: email.providerId,
    });
    const reported = await email.app.api.put('conversations:update-email-message-status', `${emailPath}/status`, {
      status: 'delivered',
      events: { delivered: 1 },
    });
    expect(reported.status).toBe(200);
    // The same app owns the SMS provider: its token there reports as well as this one.
    const sameApp = await sms.app.api.put('conversations:update-email-message-status', `${emailPath}/status`, {
      status: 'opened',
    });
    expect(sameApp.status).toBe(200);
    const stranger = await createProvider(harness, location, { type: 'Email' });
    const foreign = await stranger.app.api.put('conversations:update-email-message-status', `${emailPath}/status`, {
      status: 'opened',
    });
    expect(foreign.status).toBe(401);
    expect(foreign.body.canonicalCode).toBe('CONVERSATIONS_MSG_PROVIDER_NO_ACCESS');
    // The lifecycle refuses to make an email that has left scheduled again, and keeps what it was.
    const backwards = await email.app.api.put('conversations:update-email-message-status', `${emailPath}/status`, {
      status: 'scheduled',
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toBe('Email message has been sent: it cannot be scheduled again');
    const kept = await location.api.get('conversations:get-email-by-id', emailPath);
    expect(kept.body).toMatchObject({ status: 'opened' });
  });

  it('refuses a provider that is not installed on the location or serves another channel', async () => {
    const { location, sms } = await providerLocation('refusals');
    const elsewhere = await createProvider(harness, await createLocation(harness));
    const contact = await createContact(location, { phone: uniquePhone() });
    for (const [type, providerId] of [
      ['SMS', elsewhere.providerId],
      ['SMS', 'f'.repeat(24)],
      ['Email', sms.providerId],
      ['WhatsApp', sms.providerId],
    ]) {
      const refused = await send(location, {
        type,
        contactId: contact.id,
        message: 'x',
        html: '<p>x</p>',
        conversationProviderId: providerId,
      });
      expect(refused.status, `${type} ${providerId}`).toBe(400);
      expect(refused.body.message).toBe('Invalid conversationProviderId');
    }
  });

  it('keeps a report the provider makes before its delivery URL answers', async () => {
    const location = await createLocation(harness);
    let provider: TestProvider | undefined;
    const eager = await Receiver.start(async (request) => {
      await putStatus(provider?.app as TestLocation, request.json.messageId, { status: 'delivered' });
      return 200;
    });
    provider = await createProvider(harness, location, { deliveryUrl: eager.url });
    const contact = await createContact(location, { phone: uniquePhone() });
    const sent = await send(location, {
      type: 'SMS',
      contactId: contact.id,
      message: 'fast',
      conversationProviderId: provider.providerId,
    });
    await runJobs();
    expect(eager.requests).toHaveLength(1);
    expect((await getMessage(location, sent.body.messageId)).status).toBe('delivered');
    await eager.close();
  });

  it('retries a delivery URL that fails, then marks the message failed with the error', async () => {
    const location = await createLocation(harness);
    const down = await Receiver.start(() => 503);
    const contact = await createContact(location, { phone: uniquePhone() });
    const cases = [
      { url: down.url, attempts: 6, error: { code: 'DELIVERY_FAILED', message: 'delivery URL answered 503' } },
      // Refused connections are retried too; a 4xx is the provider's refusal, final at once.
      { url: 'http://127.0.0.1:9/closed', attempts: 0, error: { code: 'DELIVERY_FAILED' } },
    ];
    for (const { url, attempts, error } of cases) {
      const provider = await createProvider(harness, location, { deliveryUrl: url });
      const before = down.requests.length;
      const sent = await send(location, {
        type: 'SMS',
        contactId: contact.id,
        message: 'x',
        conversationProviderId: provider.providerId,
      });
      for (let attempt = 1; attempt <= 6; attempt += 1) {
        await runJobs();
        expect((await getMessage(location, sent.body.messageId)).status).toBe(attempt < 6 ? 'pending' : 'failed');
        clock.advance(10 * 60_000);
      }
      expect(down.requests.length - before).toBe(attempts);
      const failed = await getMessage(location, sent.body.messageId);
      expect(failed.error).toMatchObject(error);
      // Worded for the integrator: no system call, address or port of the network behind the server.
      if (attempts === 0) expect(failed.error.message).toBe('delivery URL: the connection was refused');
    }
    const rejecting = await Receiver.start(() => 422);
    const provider = await createProvider(harness, location, { deliveryUrl: rejecting.url });
    const sent = await send(location, {
      type: 'SMS',
      contactId: contact.id,
      message: 'x',
      conversationProviderId: provider.providerId,
    });
    await runJobs();
    expect(await getMessage(location, sent.body.messageId)).toMatchObject({
      status: 'failed',
      error: { code: '422', type: 'provider', message: 'delivery URL answered 422' },
    });
    expect(rejecting.requests).toHaveLength(1);
    await down.close();
    await rejecting.close();
  });

  it('refuses delivery URLs on private or loopback addresses, at registration and when sending', async () => {
    const app = await createApp(harness);
    for (const deliveryUrl of [
      'http://10.1.2.3/deliver',
      'http://192.168.0.10:8080/deliver',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:8080/deliver',
      'http://127.0.0.2/deliver',
      // IPv4-translated loopback and deprecated site-local (the hardening review found both let through).
      'http://[::ffff:0:127.0.0.1]/deliver',
      'http://[fec0::1]/deliver',
      'http://[::ffff:10.0.0.1]/deliver',
      'ftp://files.example.com/deliver',
      'not a url',
    ]) {
      const refused = await harness.admin.post(null, `/admin/v1/apps/${app.id}/providers`, {
        name: 'x',
        type: 'SMS',
        deliveryUrl,
      });
      expect(refused.status, deliveryUrl).toBe(422);
      expect(refused.body.message[0]).toMatch(/^deliveryUrl /);
    }
    // A URL that was fine when registered (an allow-listed host, DNS since changed): refused at send time too.
    const location = await createLocation(harness);
    const provider = await createProvider(harness, location, { deliveryUrl: `${receiver.url}/moved` });
    await harness.server.store.db
      .updateTable('conversation_providers')
      .set({ delivery_url: 'http://127.0.0.2:8080/moved' })
      .where('id', '=', provider.providerId)
      .execute();
    const contact = await createContact(location, { phone: uniquePhone() });
    const sent = await send(location, {
      type: 'SMS',
      contactId: contact.id,
      message: 'x',
      conversationProviderId: provider.providerId,
    });
    await runJobs();
    expect(await getMessage(location, sent.body.messageId)).toMatchObject({
      status: 'failed',
      error: { code: 'PROVIDER_URL_REFUSED', message: 'delivery URL: resolves to a private or loopback address' },
    });
    expect(deliveriesTo('/moved')).toHaveLength(0);
  });
});
