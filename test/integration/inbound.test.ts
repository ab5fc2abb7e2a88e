// POST /conversations/messages/inbound and /outbound: every inbound type, how the message finds its
// conversation, back-dating, altId idempotency, unread counts, call logs, and the summary each leaves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import {
  createContact,
  createConversation,
  createLocation,
  createProvider,
  type TestLocation,
} from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import {
  inbound,
  messageCount,
  outboundCall,
  searchIds,
  storedEmail,
  storedMessage,
  summaryOf,
  uniquePhone,
} from '../helpers/messages.js';

const TEXT = { message: 'Hello from the contact' };
const INBOUND_CASES = [
  { type: 'SMS', name: 'TYPE_SMS', code: 2, content: TEXT },
  { type: 'RCS', name: 'TYPE_RCS', code: 39, content: TEXT },
  { type: 'Email', name: 'TYPE_EMAIL', code: 3, content: { html: '<p>Hello from the contact</p>', subject: 'Hi' } },
  { type: 'WhatsApp', name: 'TYPE_WHATSAPP', code: 19, content: TEXT },
  { type: 'GMB', name: 'TYPE_GMB', code: 15, content: TEXT },
  { type: 'IG', name: 'TYPE_INSTAGRAM', code: 18, content: TEXT },
  { type: 'FB', name: 'TYPE_FACEBOOK', code: 11, content: TEXT },
  { type: 'Custom', name: 'TYPE_CUSTOM_PROVIDER_SMS', code: 22, content: TEXT },
  { type: 'WebChat', name: 'TYPE_WEBCHAT', code: 5, content: TEXT },
  { type: 'Live_Chat', name: 'TYPE_LIVE_CHAT', code: 29, content: TEXT },
  { type: 'Call', name: 'TYPE_CALL', code: 1, content: {} },
  { type: 'IVR_Call', name: 'TYPE_IVR_CALL', code: 24, content: {} },
  { type: 'Campaign_Call', name: 'TYPE_CAMPAIGN_CALL', code: 8, content: {} },
  { type: 'Campaign_VoiceMail', name: 'TYPE_CAMPAIGN_VOICEMAIL', code: 10, content: {} },
  { type: 'TIKTOK', name: 'TYPE_TIKTOK', code: 40, content: TEXT },
  { type: 'ALL_IN_ONE_CHAT', name: 'TYPE_LIVE_CHAT', code: 29, content: TEXT },
  { type: 'FORM_SUBMISSION', name: 'TYPE_FORM_SUBMISSION', code: 42, content: TEXT },
] as const;

describe.each(ENGINES)('inbound and outbound on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  let other: TestLocation;
  const clock = new TestClock();

  beforeAll(async () => {
    harness = await startHarness(engine, { clock, env: { WORKER_ENABLED: 'false' } });
    location = await createLocation(harness);
    other = await createLocation(harness);
  });
  afterAll(() => harness?.close());

  it.each(INBOUND_CASES)('records inbound $type and raises unread', async (c) => {
    const contact = await createContact(location, { phone: uniquePhone() });
    const at = clock.advance(60_000);
    const received = await inbound(location, { type: c.type, contactId: contact.id, ...c.content });
    expect(received.status).toBe(200);
    expect(received.body).toMatchObject({
      success: true,
      contactId: contact.id,
      message: 'Message processed successfully.',
      dateAdded: new Date(at).toISOString(),
    });
    if (c.type === 'Email') expect(received.body.emailMessageId).toEqual(expect.any(String));
    const summary = await summaryOf(location, received.body.conversationId);
    expect(summary).toMatchObject({
      contactId: contact.id,
      lastMessageType: c.name,
      lastMessageDirection: 'inbound',
      lastMessageBody: 'message' in c.content || 'html' in c.content ? 'Hello from the contact' : '',
      lastMessageDate: at,
      dateUpdated: at,
      unreadCount: 1,
    });
    expect(summary.lastOutboundMessageAction).toBeUndefined();
    expect(await storedMessage(harness, received.body.messageId)).toMatchObject({
      type: c.code,
      direction: 'inbound',
      status: 'delivered',
    });
  });

  it('keeps call data as the call’s status, and logs API calls as external calls', async () => {
    const contact = await createContact(location);
    for (const type of ['Call', 'IVR_Call']) {
      const call = await inbound(location, {
        type,
        contactId: contact.id,
        call: { from: '+15550001000', to: '+15550002000', status: 'no-answer' },
      });
      const row = await storedMessage(harness, call.body.messageId);
      expect(JSON.parse(row?.meta ?? '{}')).toEqual({
        callStatus: 'no-answer',
        from: '+15550001000',
        to: '+15550002000',
      });
      expect(row?.sub_type).toBe('EXTERNAL_CALL');
    }
    const bare = await inbound(location, { type: 'Call', contactId: contact.id });
    expect(JSON.parse((await storedMessage(harness, bare.body.messageId))?.meta ?? '{}')).toEqual({
      callStatus: 'completed',
    });
  });

  it('records an inbound email from the contact and threads a reply into its message', async () => {
    const contact = await createContact(location);
    const first = await inbound(location, { type: 'Email', contactId: contact.id, message: 'a < b & c', subject: 'Q' });
    const email = await storedEmail(harness, first.body.emailMessageId);
    expect(email).toMatchObject({ from_address: contact.email, direction: 'inbound', body: '<p>a &lt; b &amp; c</p>' });
    expect((await summaryOf(location, first.body.conversationId)).lastMessageBody).toBe('a < b & c');
    const at = clock.advance(1_000);
    const reply = await inbound(location, {
      type: 'Email',
      contactId: contact.id,
      html: '<p>following up</p>',
      emailMessageId: first.body.emailMessageId,
    });
    expect(reply.body.messageId).toBe(first.body.messageId);
    expect(reply.body.emailMessageId).not.toBe(first.body.emailMessageId);
    expect(await summaryOf(location, first.body.conversationId)).toMatchObject({
      lastMessageBody: 'following up',
      lastMessageDate: at,
      unreadCount: 2,
    });
  });

  it('finds the conversation by contactId or conversationId (docs/behaviour.md#lenient-inputs)', async () => {
    const conversation = await createConversation(location);
    const byConversation = await inbound(location, { type: 'SMS', conversationId: conversation.id, message: 'a' });
    expect(byConversation.body).toMatchObject({ conversationId: conversation.id, contactId: conversation.contactId });
    const byBoth = await inbound(location, {
      type: 'SMS',
      conversationId: conversation.id,
      contactId: conversation.contactId,
      message: 'b',
    });
    expect(byBoth.body.conversationId).toBe(conversation.id);

    const neither = await inbound(location, { type: 'SMS', message: 'c' });
    expect(neither.status).toBe(422);
    const stranger = await createContact(location);
    const mismatched = await inbound(location, {
      type: 'SMS',
      conversationId: conversation.id,
      contactId: stranger.id,
      message: 'd',
    });
    expect(mismatched.status).toBe(400);
    const unknownContact = await inbound(location, { type: 'SMS', contactId: 'nope', message: 'e' });
    expect(unknownContact.status).toBe(400);
    expect(unknownContact.body.message).toBe('Contact not found for id:nope');
    const foreign = await createConversation(other);
    const foreignConversation = await inbound(location, { type: 'SMS', conversationId: foreign.id, message: 'f' });
    expect(foreignConversation.status).toBe(404);
    expect(await messageCount(harness, conversation.id)).toBe(2);
  });

  it('records an outbound message given direction, without raising unread', async () => {
    const contact = await createContact(location);
    const at = clock.advance(1_000);
    const sent = await inbound(location, {
      type: 'SMS',
      contactId: contact.id,
      message: 'sent elsewhere',
      direction: 'outbound',
    });
    expect(await summaryOf(location, sent.body.conversationId)).toMatchObject({
      lastMessageDirection: 'outbound',
      lastOutboundMessageAction: 'manual',
      lastManualMessageDate: at,
      unreadCount: 0,
    });
  });

  it('keeps the newer last message when an older one is back-dated in, but counts it unread', async () => {
    const contact = await createContact(location);
    const at = clock.advance(60_000);
    const newer = await inbound(location, { type: 'SMS', contactId: contact.id, message: 'newer' });
    const older = await inbound(location, {
      type: 'WhatsApp',
      contactId: contact.id,
      message: 'older',
      date: new Date(at - 3_600_000).toISOString(),
    });
    expect(older.body.dateAdded).toBe(new Date(at - 3_600_000).toISOString());
    expect(await summaryOf(location, newer.body.conversationId)).toMatchObject({
      lastMessageBody: 'newer',
      lastMessageType: 'TYPE_SMS',
      lastMessageDate: at,
      unreadCount: 2,
    });
  });

  it('treats a repeated altId of the same provider as the same message', async () => {
    const contact = await createContact(location);
    // One app with two providers: the altIds of each are its own.
    const { app, appId, providerId: providerA } = await createProvider(harness, location);
    const providerB = (await createProvider(harness, location, { appId })).providerId;
    const body = { type: 'SMS', contactId: contact.id, message: 'once', altId: 'provider-msg-1' };
    const first = await inbound(app, { ...body, conversationProviderId: providerA });
    const again = await inbound(app, { ...body, conversationProviderId: providerA });
    expect(again.status).toBe(200);
    expect(again.body.messageId).toBe(first.body.messageId);
    expect(await messageCount(harness, first.body.conversationId)).toBe(1);
    expect((await summaryOf(location, first.body.conversationId)).unreadCount).toBe(1);
    const otherProvider = await inbound(app, { ...body, conversationProviderId: providerB });
    expect(otherProvider.body.messageId).not.toBe(first.body.messageId);
    expect(await messageCount(harness, first.body.conversationId)).toBe(2);
    const racing = await Promise.all(
      [1, 2, 3, 4].map(() => inbound(app, { ...body, altId: 'raced', conversationProviderId: providerA })),
    );
    expect(new Set(racing.map((r) => r.body.messageId)).size).toBe(1);
    expect(await messageCount(harness, first.body.conversationId)).toBe(3);
  });

  it('takes a provider’s id only from its own app, on a location it is installed on (400 otherwise)', async () => {
    const contact = await createContact(location);
    const own = await createProvider(harness, location);
    const foreign = await createProvider(harness, location);
    const elsewhere = await createProvider(harness, await createLocation(harness), { appId: own.appId });
    const body = { type: 'SMS', contactId: contact.id, message: 'hi' };
    expect((await inbound(own.app, { ...body, conversationProviderId: own.providerId })).status).toBe(200);
    for (const [as, providerId] of [
      [own.app, 'f'.repeat(24)],
      [own.app, foreign.providerId],
      [own.app, elsewhere.providerId],
      [location, own.providerId],
    ] as const) {
      const refused = await inbound(as, { ...body, conversationProviderId: providerId });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toBe('Invalid conversationProviderId');
    }
  });

  it('addresses an email given direction outbound to the contact', async () => {
    const contact = await createContact(location);
    const sent = await inbound(location, {
      type: 'Email',
      contactId: contact.id,
      html: '<p>x</p>',
      direction: 'outbound',
    });
    const email = await storedEmail(harness, sent.body.emailMessageId);
    expect(JSON.parse(email?.to_addresses ?? '[]')).toEqual([contact.email]);
    expect(email?.from_address).not.toBe(contact.email);
  });

  it('counts unread until PUT resets it, and search status filters follow', async () => {
    const local = await createLocation(harness);
    const contact = await createContact(local);
    const first = await inbound(local, { type: 'SMS', contactId: contact.id, message: 'one' });
    await inbound(local, { type: 'SMS', contactId: contact.id, message: 'two' });
    const id = first.body.conversationId;
    expect((await summaryOf(local, id)).unreadCount).toBe(2);
    expect(await searchIds(local, { status: 'unread' })).toEqual([id]);
    expect(await searchIds(local, { lastMessageDirection: 'inbound' })).toEqual([id]);
    const reset = await local.api.put('conversations:update-conversation', `/conversations/${id}`, {
      locationId: local.locationId,
      unreadCount: 0,
    });
    expect(reset.status).toBe(200);
    expect((await summaryOf(local, id)).unreadCount).toBe(0);
    expect(await searchIds(local, { status: 'unread' })).toEqual([]);
    expect(await searchIds(local, { status: 'read' })).toEqual([id]);
  });

  it('counts every one of concurrent inbound messages', async () => {
    const conversation = await createConversation(location);
    const base = clock.now();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        inbound(location, {
          type: 'SMS',
          conversationId: conversation.id,
          message: `burst ${i}`,
          date: new Date(base + i * 1_000).toISOString(),
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(await summaryOf(location, conversation.id)).toMatchObject({
      unreadCount: 8,
      lastMessageBody: 'burst 7',
      lastMessageDate: base + 7_000,
    });
  });

  it('logs an outbound call (TYPE_CALL, EXTERNAL_CALL) on a conversation', async () => {
    const conversation = await createConversation(location);
    const at = clock.advance(1_000);
    const calls = await createProvider(harness, location, { type: 'Call' });
    const logged = await outboundCall(calls.app, {
      type: 'Call',
      conversationId: conversation.id,
      conversationProviderId: calls.providerId,
      call: { to: '+15550003000', from: '+15550004000', status: 'answered' },
    });
    expect(logged.status).toBe(200);
    expect(logged.body).toMatchObject({ success: true, conversationId: conversation.id });
    const row = await storedMessage(harness, logged.body.messageId);
    expect(row).toMatchObject({ type: 1, sub_type: 'EXTERNAL_CALL', direction: 'outbound' });
    expect(JSON.parse(row?.meta ?? '{}')).toMatchObject({ callStatus: 'answered' });
    expect(await summaryOf(location, conversation.id)).toMatchObject({
      lastMessageType: 'TYPE_CALL',
      lastMessageDirection: 'outbound',
      lastOutboundMessageAction: 'manual',
      lastMessageDate: at,
      unreadCount: 0,
    });
    const missing = await outboundCall(location, { type: 'Call', conversationProviderId: 'c'.repeat(24) });
    expect(missing.status).toBe(422);
    const notACall = await outboundCall(location, { type: 'SMS', conversationId: conversation.id });
    expect(notACall.status).toBe(422);
  });
});
