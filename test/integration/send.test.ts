// POST /conversations/messages: every send type, per-channel rules, and the conversation summary each send leaves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { messageCount, searchIds, send, storedMessage, summaryOf, uniquePhone } from '../helpers/messages.js';

const SEND_CASES = [
  { type: 'SMS', code: 2, name: 'TYPE_SMS', content: { message: 'Hello by SMS' }, body: 'Hello by SMS' },
  { type: 'RCS', code: 39, name: 'TYPE_RCS', content: { message: 'Hello by RCS' }, body: 'Hello by RCS' },
  {
    type: 'Email',
    code: 3,
    name: 'TYPE_EMAIL',
    content: { html: '<p>Hello <b>by</b> email</p>', subject: 'Greetings' },
    body: 'Hello by email',
  },
  { type: 'WhatsApp', code: 19, name: 'TYPE_WHATSAPP', content: { message: 'Hi on WhatsApp' }, body: 'Hi on WhatsApp' },
  { type: 'IG', code: 18, name: 'TYPE_INSTAGRAM', content: { message: 'Hi on Instagram' }, body: 'Hi on Instagram' },
  { type: 'FB', code: 11, name: 'TYPE_FACEBOOK', content: { message: 'Hi on Messenger' }, body: 'Hi on Messenger' },
  {
    type: 'Custom',
    code: 22,
    name: 'TYPE_CUSTOM_PROVIDER_SMS',
    content: { message: 'Hi by custom provider' },
    body: 'Hi by custom provider',
  },
  {
    type: 'Live_Chat',
    code: 29,
    name: 'TYPE_LIVE_CHAT',
    content: { message: 'Hi in live chat' },
    body: 'Hi in live chat',
  },
  { type: 'TIKTOK', code: 40, name: 'TYPE_TIKTOK', content: { message: 'Hi on TikTok' }, body: 'Hi on TikTok' },
] as const;

describe.each(ENGINES)('send on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  let other: TestLocation;
  const clock = new TestClock();
  const phoneContact = (fields: Record<string, unknown> = {}) =>
    createContact(location, { phone: uniquePhone(), ...fields });

  beforeAll(async () => {
    harness = await startHarness(engine, { clock, env: { WORKER_ENABLED: 'false' } });
    location = await createLocation(harness);
    other = await createLocation(harness);
  });
  afterAll(() => harness?.close());

  it.each(SEND_CASES)('sends $type, opening the contact’s conversation and summarising it', async (c) => {
    const contact = await phoneContact();
    const at = clock.advance(60_000);
    const sent = await send(location, { type: c.type, contactId: contact.id, ...c.content });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ status: 'pending', msg: 'Message queued successfully.' });
    expect(sent.body.messageIds).toEqual([sent.body.messageId]);
    if (c.type === 'Email') expect(sent.body.emailMessageId).toEqual(expect.any(String));
    else expect(sent.body.emailMessageId).toBeUndefined();

    const summary = await summaryOf(location, sent.body.conversationId);
    expect(summary).toMatchObject({
      contactId: contact.id,
      lastMessageBody: c.body,
      lastMessageType: c.name,
      lastMessageDirection: 'outbound',
      lastOutboundMessageAction: 'manual',
      lastMessageDate: at,
      lastManualMessageDate: at,
      dateUpdated: at,
      unreadCount: 0,
    });
    const row = await storedMessage(harness, sent.body.messageId);
    expect(row).toMatchObject({ type: c.code, direction: 'outbound', status: 'pending', source: 'api' });

    // The delivery job hands it to the dev outbox and marks it delivered.
    await harness.server.services.jobs.runDue();
    expect((await storedMessage(harness, sent.body.messageId))?.status).toBe('delivered');
  });

  it('uses the contact’s existing conversation, and keeps the newest send as the last message', async () => {
    const contact = await phoneContact();
    const conversation = await createConversation(location, contact.id);
    const first = await send(location, { type: 'SMS', contactId: contact.id, message: 'first' });
    const at = clock.advance(1_000);
    const second = await send(location, { type: 'WhatsApp', contactId: contact.id, message: 'second' });
    expect(first.body.conversationId).toBe(conversation.id);
    expect(second.body.conversationId).toBe(conversation.id);
    expect(await messageCount(harness, conversation.id)).toBe(2);
    expect(await summaryOf(location, conversation.id)).toMatchObject({
      lastMessageBody: 'second',
      lastMessageType: 'TYPE_WHATSAPP',
      lastMessageDate: at,
    });
  });

  it('accepts subType and status, or neither (docs/behaviour.md#lenient-inputs)', async () => {
    const contact = await phoneContact();
    const without = await send(location, { type: 'SMS', contactId: contact.id, message: 'plain' });
    expect(without.status).toBe(200);
    const asObject = await send(location, {
      type: 'SMS',
      contactId: contact.id,
      message: 'with object subType',
      subType: {},
      status: 'pending',
    });
    expect(asObject.status).toBe(200);
    const asString = await send(location, { type: 'SMS', contactId: contact.id, message: 'x', subType: 'SMS' });
    expect(asString.status).toBe(200);
    const badStatus = await send(location, { type: 'SMS', contactId: contact.id, message: 'x', status: 'sent' });
    expect(badStatus.status).toBe(422);
  });

  it.each(['SMS', 'RCS', 'WhatsApp', 'Custom'])('%s needs the contact’s phone or a toNumber', async (type) => {
    const contact = await createContact(location);
    const refused = await send(location, { type, contactId: contact.id, message: 'no phone' });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('Contact does not have a phone number');
    const sent = await send(location, {
      type,
      contactId: contact.id,
      message: 'to a number',
      toNumber: '(555) 010-2030',
    });
    expect(sent.status).toBe(200);
    const row = await storedMessage(harness, sent.body.messageId);
    expect(JSON.parse(row?.meta ?? '{}')).toMatchObject({ to: '+15550102030' });
  });

  it('sends IG, FB, Live_Chat and TIKTOK to a contact without a phone', async () => {
    const contact = await createContact(location);
    for (const type of ['IG', 'FB', 'Live_Chat', 'TIKTOK']) {
      expect((await send(location, { type, contactId: contact.id, message: `hi on ${type}` })).status).toBe(200);
    }
  });

  it('refuses an email without html or attachments, and a message without content', async () => {
    const contact = await phoneContact();
    const textOnly = await send(location, { type: 'Email', contactId: contact.id, message: 'text only', subject: 's' });
    expect(textOnly.status).toBe(422);
    expect(textOnly.body.message).toEqual(['There is no message or attachments']);
    expect(textOnly.body.canonicalCode).toBe('CONVERSATIONS_MSG_NO_CONTENT');
    const attachmentOnly = await send(location, {
      type: 'Email',
      contactId: contact.id,
      attachments: ['https://files.example.com/a.pdf'],
    });
    expect(attachmentOnly.status).toBe(200);
    const empty = await send(location, { type: 'SMS', contactId: contact.id, message: '   ' });
    expect(empty.status).toBe(422);
  });

  it('sends email only to the contact’s address (emailTo)', async () => {
    const contact = await createContact(location, { email: `Mixed.Case-${Date.now()}@Example.com` });
    const email = contact.email as string;
    const matching = await send(location, {
      type: 'Email',
      contactId: contact.id,
      html: '<p>x</p>',
      emailTo: email.toLowerCase(),
    });
    expect(matching.status).toBe(200);
    for (const emailTo of ['someone.else@example.com', 'not an address']) {
      const refused = await send(location, { type: 'Email', contactId: contact.id, html: '<p>x</p>', emailTo });
      expect(refused.status).toBe(400);
      expect(refused.body.canonicalCode).toBe('CONVERSATIONS_MSG_INVALID_EMAILTO');
    }
    const noEmail = await createContact(location, { email: undefined, phone: uniquePhone() });
    const refused = await send(location, { type: 'Email', contactId: noEmail.id, html: '<p>x</p>' });
    expect(refused.status).toBe(400);
    expect(refused.body.canonicalCode).toBe('CONVERSATIONS_MSG_INVALID_EMAILTO');
  });

  it('answers 400 for an unknown contact or another location’s contact', async () => {
    const foreign = await createContact(other);
    for (const contactId of ['nope', foreign.id]) {
      const refused = await send(location, { type: 'SMS', contactId, message: 'hello' });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({
        message: `Contact not found for id:${contactId}`,
        canonicalCode: 'CONVERSATIONS_CONTACT_NOT_FOUND',
      });
    }
  });

  it('keeps the summary on the newest email of a thread', async () => {
    const contact = await phoneContact();
    const first = await send(location, {
      type: 'Email',
      contactId: contact.id,
      html: '<p>first email</p>',
      subject: 'T',
    });
    const at = clock.advance(5_000);
    const reply = await send(location, {
      type: 'Email',
      contactId: contact.id,
      html: '<p>second email</p>',
      threadId: first.body.emailMessageId,
    });
    expect(reply.status).toBe(200);
    expect(reply.body.messageId).toBe(first.body.messageId);
    expect(await summaryOf(location, first.body.conversationId)).toMatchObject({
      lastMessageBody: 'second email',
      lastMessageDate: at,
    });
  });

  it('leaves the summary alone for a scheduled message until it goes out', async () => {
    const contact = await phoneContact();
    const before = await send(location, { type: 'SMS', contactId: contact.id, message: 'now' });
    const due = clock.now() + 3_600_000;
    const scheduled = await send(location, {
      type: 'SMS',
      contactId: contact.id,
      message: 'later',
      scheduledTimestamp: Math.floor(due / 1000),
    });
    expect(scheduled.body.msg).toBe('Message scheduled successfully.');
    expect((await summaryOf(location, before.body.conversationId)).lastMessageBody).toBe('now');
    clock.set(due);
    await harness.server.services.jobs.runDue();
    expect(await summaryOf(location, before.body.conversationId)).toMatchObject({
      lastMessageBody: 'later',
      lastMessageDate: due,
    });
  });

  it('records an internal comment with mentions without changing the last message', async () => {
    const contact = await phoneContact();
    const sms = await send(location, { type: 'SMS', contactId: contact.id, message: 'customer-facing' });
    const mentioned = `user-${Date.now()}`;
    clock.advance(1_000);
    const comment = await send(location, {
      type: 'InternalComment',
      contactId: contact.id,
      message: `@${mentioned} please look`,
      mentions: [mentioned],
    });
    expect(comment.status).toBe(200);
    expect(comment.body).toMatchObject({ conversationId: sms.body.conversationId, status: 'delivered' });
    expect((await storedMessage(harness, comment.body.messageId))?.type).toBe(37);
    const summary = await summaryOf(location, sms.body.conversationId);
    expect(summary).toMatchObject({ lastMessageBody: 'customer-facing', lastMessageType: 'TYPE_SMS' });
    expect(summary.mentions).toEqual([mentioned]);
    expect(await searchIds(location, { mentions: mentioned })).toEqual([sms.body.conversationId]);
    expect(await searchIds(location, { mentions: `${mentioned}-other` })).toEqual([]);
    const scheduled = await send(location, {
      type: 'InternalComment',
      contactId: contact.id,
      message: 'later',
      scheduledTimestamp: Math.floor(clock.now() / 1000) + 3600,
    });
    expect(scheduled.status).toBe(422);
  });

  it('filters search by the last message’s type, direction, action and text', async () => {
    const local = await createLocation(harness);
    const a = await createContact(local, { phone: '+15550001111' });
    const b = await createContact(local, { phone: '+15550002222' });
    const sms = await send(local, { type: 'SMS', contactId: a.id, message: 'pineapple delivery tomorrow' });
    const email = await send(local, { type: 'Email', contactId: b.id, html: '<p>invoice attached</p>' });
    expect(await searchIds(local, { lastMessageType: 'TYPE_SMS' })).toEqual([sms.body.conversationId]);
    expect(await searchIds(local, { lastMessageType: 'TYPE_EMAIL' })).toEqual([email.body.conversationId]);
    expect((await searchIds(local, { lastMessageDirection: 'outbound' })).sort()).toEqual(
      [sms.body.conversationId, email.body.conversationId].sort(),
    );
    expect(await searchIds(local, { lastMessageDirection: 'inbound' })).toEqual([]);
    expect(await searchIds(local, { lastMessageAction: 'manual' })).toHaveLength(2);
    expect(await searchIds(local, { lastMessageAction: 'automated' })).toEqual([]);
    expect(await searchIds(local, { query: 'pineapple' })).toEqual([sms.body.conversationId]);
    expect(await searchIds(local, { query: 'invoice' })).toEqual([email.body.conversationId]);
  });

  it('opens exactly one conversation when sends to a new contact race', async () => {
    const contact = await phoneContact();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => send(location, { type: 'SMS', contactId: contact.id, message: `race ${i}` })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
    const ids = new Set(results.map((r) => r.body.conversationId));
    expect(ids.size).toBe(1);
    expect(await messageCount(harness, [...ids][0] as string)).toBe(6);
  });
});
