// Inbound email: through the SMTP listener (SMTP_LISTEN_PORT) and the operators' parse endpoint, a reply lands in
// the thread it answers, anything else starts a thread for its sender (created when unknown), each email is recorded
// once, and the inbound use case records its domain events. Outbound email goes to a real SMTP server in-process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentStoredPayload } from '../../src/events/payload.js';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { storedEmail, summaryOf } from '../helpers/messages.js';
import { SmtpSink, sendToSmtp } from '../helpers/smtp-sink.js';

const DOMAIN = 'switchboard.test';

interface Recorded {
  success: true;
  locationId: string;
  conversationId: string;
  messageId: string;
  emailMessageId: string;
  contactId: string;
  outcome: 'threaded' | 'new_thread' | 'duplicate';
}

/** A raw RFC 822 email as a mail provider would hand it over. */
function rfc822(headers: Record<string, string>, body: string): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return [...lines, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n');
}

describe.each(ENGINES)('inbound email on %s', (engine) => {
  let harness: Harness;
  let sink: SmtpSink;
  let listenerPort: number;
  let location: TestLocation;
  const clock = new TestClock();

  beforeAll(async () => {
    sink = await SmtpSink.start();
    harness = await startHarness(engine, {
      clock,
      env: { WORKER_ENABLED: 'false', SMTP_URL: sink.url, SMTP_LISTEN_PORT: '0', EMAIL_DOMAIN: DOMAIN },
    });
    listenerPort = harness.server.inboundSmtp?.port as number;
    location = await createLocation(harness);
  });
  afterAll(async () => {
    await harness?.close();
    await sink?.close();
  });

  const deliver = () => harness.server.services.jobs.runDue();
  const rfcIdOf = async (emailId: string) => (await storedEmail(harness, emailId))?.rfc_message_id as string;
  const getEmail = (id: string) =>
    location.api.get('conversations:get-email-by-id', `/conversations/messages/email/${id}`);
  const getMessage = (id: string) => location.api.get('conversations:get-message', `/conversations/messages/${id}`);
  const threadOf = async (messageId: string) =>
    (await getMessage(messageId)).body.message.meta.email.messageIds as string[];
  const postRaw = (raw: string, locationId = location.locationId) =>
    harness.admin.post(null, `/admin/v1/locations/${locationId}/inbound-email`, raw, {
      headers: { 'content-type': 'message/rfc822' },
    });

  async function sendEmail(contactId: string, body: Record<string, unknown>) {
    clock.advance(1000);
    const sent = await location.api.post('conversations:send-a-new-message', '/conversations/messages', {
      type: 'Email',
      contactId,
      ...body,
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    await deliver();
    return sent.body as { conversationId: string; messageId: string; emailMessageId: string };
  }

  async function eventsOf(locationId: string) {
    const rows = await harness.server.store.db
      .selectFrom('domain_events')
      .selectAll()
      .where('location_id', '=', locationId)
      .orderBy('seq')
      .execute();
    return rows.map((row) => ({ type: row.type, payload: presentStoredPayload(JSON.parse(row.payload)) }));
  }

  it('lands a reply sent to the SMTP listener in its thread, and threads Switchboard’s answer to it', async () => {
    const contact = await createContact(location, { firstName: 'Jane', lastName: 'Doe' });
    const first = await sendEmail(contact.id, { subject: 'Quote', html: '<p>Here is your quote</p>' });
    const rfc1 = await rfcIdOf(first.emailMessageId);

    clock.advance(1000);
    const reply = {
      from: `"Jane Doe" <${contact.email}>`,
      to: `noreply@${DOMAIN}`,
      cc: 'partner@example.com',
      subject: 'Re: Quote',
      text: 'Sounds good,\nlet us go ahead.',
      messageId: '<reply-1@mail.example.com>',
      inReplyTo: rfc1,
      references: [rfc1],
    };
    const accepted = await sendToSmtp(listenerPort, reply);
    expect(accepted.response).toMatch(/^250/);

    const thread = await threadOf(first.messageId);
    expect(thread).toHaveLength(2);
    const inboundId = thread[1] as string;
    const inbound = (await getEmail(inboundId)).body;
    expect(inbound).toMatchObject({
      direction: 'inbound',
      threadId: first.emailMessageId,
      conversationId: first.conversationId,
      contactId: contact.id,
      from: contact.email,
      to: [`noreply@${DOMAIN}`],
      cc: ['partner@example.com'],
      subject: 'Re: Quote',
      replyToMessageId: first.emailMessageId,
    });
    expect(inbound.body).toContain('let us go ahead.');
    expect(await rfcIdOf(inboundId)).toBe('<reply-1@mail.example.com>');
    const summary = await summaryOf(location, first.conversationId);
    expect(summary).toMatchObject({ unreadCount: 1, lastMessageDirection: 'inbound' });

    const events = await eventsOf(location.locationId);
    const created = events.find((e) => e.type === 'message.created' && e.payload.email?.id === inboundId);
    expect(created?.payload.message).toMatchObject({ id: first.messageId, direction: 'outbound' });
    expect(created?.payload.email).toMatchObject({ direction: 'inbound', from: contact.email });
    expect(events.at(-1)?.type).toBe('message.created');

    // Handed over again (a sending server retrying): recorded once.
    await sendToSmtp(listenerPort, reply);
    expect(await threadOf(first.messageId)).toHaveLength(2);

    // Switchboard's answer to the inbound email threads under the reply's own Message-ID.
    const answer = await sendEmail(contact.id, { html: '<p>Great, booked.</p>', replyMessageId: inboundId });
    const mail = sink.byMessageId(await rfcIdOf(answer.emailMessageId));
    expect(mail?.parsed.inReplyTo).toBe('<reply-1@mail.example.com>');
    expect([mail?.parsed.references ?? []].flat()).toEqual([rfc1, '<reply-1@mail.example.com>']);
    expect(await threadOf(first.messageId)).toHaveLength(3);
  });

  it('starts a thread for mail to a location address, creating the unknown sender’s contact', async () => {
    const accepted = await sendToSmtp(listenerPort, {
      from: '"Sam Newcomer" <sam.newcomer@example.org>',
      to: `${location.locationId}+sales@${DOMAIN}`,
      subject: 'Hello there',
      html: '<p>Do you <em>ship</em> abroad?</p>',
      attachments: [{ filename: 'list.txt', content: 'two boxes\n', contentType: 'text/plain' }],
    });
    expect(accepted.response).toMatch(/^250/);
    const found = await location.api.get('conversations:search-conversation', '/conversations/search', {
      query: { locationId: location.locationId, query: 'sam.newcomer@example.org' },
    });
    expect(found.body.conversations).toHaveLength(1);
    const conversation = found.body.conversations[0];
    const contact = await location.api.get('contacts:get-contact', `/contacts/${conversation.contactId}`);
    expect(contact.body.contact).toMatchObject({
      email: 'sam.newcomer@example.org',
      firstName: 'Sam',
      lastName: 'Newcomer',
    });
    const messages = await location.api.get('conversations:get-messages', `/conversations/${conversation.id}/messages`);
    const [thread] = messages.body.messages.messages;
    expect(thread).toMatchObject({ messageType: 'TYPE_EMAIL', direction: 'inbound' });
    const email = (await getEmail(thread.meta.email.messageIds[0])).body;
    expect(email).toMatchObject({ subject: 'Hello there', from: 'sam.newcomer@example.org', direction: 'inbound' });
    expect(email.body).toContain('<em>ship</em>');
    expect(email.attachments).toHaveLength(1);
    const file = await fetch(email.attachments[0]);
    expect(await file.text()).toBe('two boxes\n');
  });

  it('refuses mail for other domains, and mail that belongs to no location or thread', async () => {
    await expect(
      sendToSmtp(listenerPort, { from: 'a@example.org', to: 'someone@elsewhere.example', text: 'relay me' }),
    ).rejects.toMatchObject({ responseCode: 550 });
    await expect(
      sendToSmtp(listenerPort, { from: 'a@example.org', to: `nobody@${DOMAIN}`, text: 'for whom?' }),
    ).rejects.toMatchObject({ responseCode: 550 });
  });

  it('records raw RFC 822 posted by an operator: threaded, once, and new threads for new senders', async () => {
    const contact = await createContact(location);
    const first = await sendEmail(contact.id, { subject: 'Invoice', html: '<p>Invoice attached</p>' });
    const rfc1 = await rfcIdOf(first.emailMessageId);
    const reply = rfc822(
      {
        From: contact.email as string,
        To: `${location.locationId}@${DOMAIN}`,
        Subject: 'Re: Invoice',
        'Message-ID': '<op-1@mail.example.com>',
        'In-Reply-To': rfc1,
        References: rfc1,
      },
      'Paid, thanks.',
    );
    const recorded = await postRaw(reply);
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    expect(recorded.body as Recorded).toMatchObject({
      success: true,
      outcome: 'threaded',
      conversationId: first.conversationId,
      messageId: first.messageId,
      contactId: contact.id,
    });
    const again = await postRaw(reply);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ outcome: 'duplicate', emailMessageId: recorded.body.emailMessageId });

    // A follow-up that references only the inbound email still finds the thread.
    const followUp = await postRaw(
      rfc822(
        {
          From: contact.email as string,
          Subject: 'Re: Invoice',
          'Message-ID': '<op-2@x>',
          References: '<op-1@mail.example.com>',
        },
        'One more thing.',
      ),
    );
    expect(followUp.body).toMatchObject({ outcome: 'threaded', messageId: first.messageId });
    expect(await threadOf(first.messageId)).toHaveLength(3);

    const stranger = await postRaw(rfc822({ From: 'Pat <pat@example.net>', Subject: 'Hi' }, 'New here.'));
    expect(stranger.status).toBe(201);
    expect(stranger.body.outcome).toBe('new_thread');
    expect(stranger.body.contactId).not.toBe(contact.id);
    const events = await eventsOf(location.locationId);
    expect(events.filter((e) => e.payload.email?.id === stranger.body.emailMessageId).map((e) => e.type)).toEqual([
      'message.created',
    ]);
    expect(
      events.some(
        (e) => e.type === 'conversation.updated' && e.payload.conversation.id === stranger.body.conversationId,
      ),
    ).toBe(true);

    const noSender = await postRaw(rfc822({ Subject: 'Who am I' }, 'no from'));
    expect(noSender.status).toBe(400);
    const nowhere = await postRaw(rfc822({ From: 'x@example.com' }, 'lost'), 'no-such-location');
    expect(nowhere.status).toBe(404);
    const unauthorised = await fetch(
      new URL(`/admin/v1/locations/${location.locationId}/inbound-email`, harness.baseUrl),
      {
        method: 'POST',
        headers: { 'content-type': 'message/rfc822' },
        body: reply,
      },
    );
    expect(unauthorised.status).toBe(401);
  });
});
