// Simulated carriers and contacts, as an integrator's CI drives them: a contact writes in (found or created, threaded,
// webhooks fired), and a carrier reports on what went out, through the same rules as a provider's report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createApp, createContact, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { send, uniquePhone } from '../helpers/messages.js';
import { Receiver } from '../helpers/receiver.js';

describe.each(ENGINES)('simulated carriers and contacts (%s)', (engine) => {
  let harness: Harness;
  let receiver: Receiver;

  beforeAll(async () => {
    harness = await startHarness(engine, { env: { CLOCK: 'virtual' } });
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    await harness?.close();
    await receiver?.close();
  });

  const simulate = (location: TestLocation, body: Record<string, unknown>) =>
    harness.admin.post(null, `/admin/v1/locations/${location.locationId}/simulate/inbound`, body);
  const carrier = (location: TestLocation, messageId: string, body: Record<string, unknown>) =>
    harness.admin.post(null, `/admin/v1/locations/${location.locationId}/messages/${messageId}/carrier`, body);
  const settle = () => harness.admin.post(null, '/admin/v1/clock', { advanceMs: 0 });
  const messageOf = async (location: TestLocation, messageId: string) =>
    (await location.api.get('conversations:get-message', `/conversations/messages/${messageId}`)).body.message;

  it('a new number writes in: a contact is created, a conversation opened, the webhook sent; a reply threads', async () => {
    const location = await createLocation(harness);
    const app = await createApp(harness, { webhookUrl: `${receiver.url}/hooks` });
    await harness.admin.put(null, `/admin/v1/locations/${location.locationId}/apps/${app.id}`);
    const phone = uniquePhone();

    const first = await simulate(location, { from: phone, type: 'SMS', message: 'Is the shop open?' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ success: true });
    const contact = await location.api.get('contacts:get-contact', `/contacts/${first.body.contactId}`);
    expect(contact.body.contact.phone).toBe(phone);
    const message = await messageOf(location, first.body.messageId);
    expect(message).toMatchObject({ direction: 'inbound', body: 'Is the shop open?', messageType: 'TYPE_SMS' });

    // The same number, written differently: the same contact and conversation.
    const national = phone.replace(/^\+1/, '');
    const second = await simulate(location, { from: national, type: 'SMS', message: 'Hello?' });
    expect(second.body.conversationId).toBe(first.body.conversationId);
    expect(second.body.contactId).toBe(first.body.contactId);

    await settle();
    const hooks = receiver.ofType('InboundMessage').filter((hook) => hook.json.locationId === location.locationId);
    expect(hooks.map((hook) => hook.json.body)).toEqual(['Is the shop open?', 'Hello?']);
    expect(hooks[0]?.json).toMatchObject({ contactId: first.body.contactId, messageType: 'SMS', direction: 'inbound' });
  });

  it('an email from a known contact lands in their conversation, with its subject', async () => {
    const location = await createLocation(harness);
    const known = await createContact(location, { email: `known-${Date.now()}@example.com` });
    const sent = await simulate(location, {
      from: known.email as string,
      type: 'Email',
      subject: 'Invoice',
      message: '<p>Where is my invoice?</p>',
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.contactId).toBe(known.id);
    expect(sent.body.emailMessageId).toBeDefined();
    const email = await location.api.get(
      'conversations:get-email-by-id',
      `/conversations/messages/email/${sent.body.emailMessageId}`,
    );
    expect(email.body).toMatchObject({ subject: 'Invoice', direction: 'inbound' });
  });

  it('a carrier moves an outbound message: delivered, read, failed with its error, undelivered', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: uniquePhone() });
    const sent = await send(location, { type: 'SMS', contactId: contact.id, message: 'Your order shipped' });
    await settle();
    const id = sent.body.messageId as string;

    const read = await carrier(location, id, { status: 'read' });
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body).toMatchObject({ success: true, messageId: id, status: 'read' });
    expect((await messageOf(location, id)).status).toBe('read');

    const failed = await carrier(location, id, { status: 'failed', error: { code: '30007', message: 'Filtered' } });
    expect(failed.status).toBe(200);
    const stored = await harness.server.store.db
      .selectFrom('messages')
      .select(['status', 'error'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe('failed');
    expect(JSON.parse(stored.error as string)).toEqual({ code: '30007', message: 'Filtered', type: 'carrier' });

    expect((await carrier(location, id, { status: 'undelivered' })).status).toBe(200);
    expect((await messageOf(location, id)).status).toBe('undelivered');
    // The realtime log tells it as it tells a provider's report.
    const events = await harness.server.store.db
      .selectFrom('domain_events')
      .select('type')
      .where('location_id', '=', location.locationId)
      .where('type', '=', 'message.updated')
      .execute();
    expect(events.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses what a carrier cannot report, and unknown locations or messages', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: uniquePhone() });
    const incoming = await simulate(location, { from: uniquePhone(), type: 'SMS', message: 'in' });
    expect((await carrier(location, incoming.body.messageId, { status: 'delivered' })).status).toBe(400);
    const later = await send(location, {
      type: 'SMS',
      contactId: contact.id,
      message: 'later',
      scheduledTimestamp: Math.floor(Date.now() / 1000) + 86_400,
    });
    expect((await carrier(location, later.body.messageId, { status: 'delivered' })).status).toBe(400);
    expect((await carrier(location, 'nope', { status: 'delivered' })).status).toBe(404);
    const bad = await carrier(location, later.body.messageId, { status: 'sent' });
    expect(bad.status).toBe(422);
    expect(bad.body.message.join(' ')).toContain('status');
    const unknownLocation = await harness.admin.post(null, '/admin/v1/locations/nowhere/simulate/inbound', {
      from: uniquePhone(),
      type: 'SMS',
      message: 'hi',
    });
    expect(unknownLocation.status).toBe(404);
    expect(
      (await harness.admin.post(null, `/admin/v1/locations/nowhere/messages/x/carrier`, { status: 'read' })).status,
    ).toBe(404);

    const notAddress = await simulate(location, { from: 'someone', type: 'SMS', message: 'hi' });
    expect(notAddress.status).toBe(422);
    expect(notAddress.body.message.join(' ')).toContain('from');
    expect((await simulate(location, { from: uniquePhone(), type: 'Email', message: 'hi' })).status).toBe(422);
    expect((await simulate(location, { from: 'a@example.com', type: 'SMS', message: 'hi' })).status).toBe(422);
    expect(
      (
        await harness
          .client(location.token)
          .post(null, `/admin/v1/locations/${location.locationId}/simulate/inbound`, {})
      ).status,
    ).toBe(401);
  });
});
