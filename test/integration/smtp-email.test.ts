// Built-in email over SMTP: with SMTP_URL set, emails without a custom provider go to a real SMTP server (started
// in-process), which is asked what it received. The worker is off: deliveries run when the test says so.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentStoredPayload } from '../../src/events/payload.js';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { uploadMultipart } from '../helpers/files.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { storedEmail, uniquePhone } from '../helpers/messages.js';
import { type ReceivedMail, SmtpSink } from '../helpers/smtp-sink.js';

const SEND = 'conversations:send-a-new-message' as const;
const GET_MESSAGE = 'conversations:get-message' as const;
const GET_EMAIL = 'conversations:get-email-by-id' as const;

interface Sent {
  conversationId: string;
  messageId: string;
  emailMessageId: string;
}

const references = (mail: ReceivedMail) => [mail.parsed.references ?? []].flat();

describe.each(ENGINES)('built-in email over SMTP on %s', (engine) => {
  let harness: Harness;
  let sink: SmtpSink;
  let files: http.Server;
  let filesUrl: string;
  let location: TestLocation;
  const clock = new TestClock();

  beforeAll(async () => {
    sink = await SmtpSink.start();
    files = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('remote report');
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    harness = await startHarness(engine, {
      clock,
      env: {
        WORKER_ENABLED: 'false',
        SMTP_URL: sink.url,
        EMAIL_DOMAIN: 'switchboard.test',
        FETCH_ALLOWED_HOSTS: '127.0.0.1',
      },
    });
    location = await createLocation(harness);
  });
  afterAll(async () => {
    await harness?.close();
    await sink?.close();
    files?.close();
  });

  const deliver = () => harness.server.services.jobs.runDue();
  const getMessage = (id: string) => location.api.get(GET_MESSAGE, `/conversations/messages/${id}`);
  const getEmail = (id: string) => location.api.get(GET_EMAIL, `/conversations/messages/email/${id}`);
  const rfcIdOf = async (emailId: string) => (await storedEmail(harness, emailId))?.rfc_message_id as string;

  async function send(body: Record<string, unknown>): Promise<Sent> {
    clock.advance(1000);
    const sent = await location.api.post(SEND, '/conversations/messages', { type: 'Email', ...body });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    return sent.body;
  }

  async function received(emailId: string): Promise<ReceivedMail> {
    const mail = sink.byMessageId(await rfcIdOf(emailId));
    if (!mail) throw new Error(`the SMTP server did not receive email ${emailId}`);
    return mail;
  }

  it('sends a thread of three with the Message-ID, In-Reply-To and References mail clients thread by', async () => {
    const contact = await createContact(location);
    const first = await send({
      contactId: contact.id,
      subject: 'Order 42',
      html: '<p>Your order <b>shipped</b></p>',
      emailCc: ['ops@example.com'],
      emailBcc: ['audit@example.com'],
    });
    await deliver();
    const second = await send({ contactId: contact.id, html: '<p>Tracking: 123</p>', threadId: first.emailMessageId });
    await deliver();
    const third = await send({ contactId: contact.id, html: '<p>Arrived?</p>', replyMessageId: second.emailMessageId });
    await deliver();

    const [rfc1, rfc2, rfc3] = await Promise.all([first, second, third].map((s) => rfcIdOf(s.emailMessageId)));
    const [m1, m2, m3] = await Promise.all([first, second, third].map((s) => received(s.emailMessageId)));
    expect(m1?.parsed.messageId).toBe(rfc1);
    expect(rfc1).toMatch(/^<[A-Za-z0-9]{20}@switchboard\.test>$/);
    expect(m1?.parsed.inReplyTo).toBeUndefined();
    expect(m1?.parsed.references).toBeUndefined();
    expect(m2?.parsed.messageId).toBe(rfc2);
    expect(m2?.parsed.inReplyTo).toBe(rfc1);
    expect(references(m2 as ReceivedMail)).toEqual([rfc1]);
    expect(m3?.parsed.messageId).toBe(rfc3);
    expect(m3?.parsed.inReplyTo).toBe(rfc2);
    expect(references(m3 as ReceivedMail)).toEqual([rfc1, rfc2]);

    expect([m1, m2, m3].map((m) => m?.parsed.subject)).toEqual(['Order 42', 'Re: Order 42', 'Re: Order 42']);
    expect(m1?.parsed.html).toContain('Your order <b>shipped</b>');
    expect(m1?.parsed.text).toContain('Your order shipped');
    expect(m1?.envelope.from).toBe('noreply@switchboard.test');
    expect(m1?.parsed.from?.value[0]?.address).toBe('noreply@switchboard.test');
    // CC and BCC are envelope recipients; only CC is shown in the headers.
    expect([...(m1?.envelope.to ?? [])].sort()).toEqual([contact.email, 'audit@example.com', 'ops@example.com'].sort());
    expect(m1?.raw).toMatch(/^Cc: ops@example\.com\r?$/m);
    expect(m1?.raw).not.toMatch(/^Bcc:/im);
    expect(m1?.raw).not.toContain('audit@example.com');

    for (const sent of [first, second, third]) {
      expect((await getMessage(sent.messageId)).body.message.status).toBe('delivered');
    }
    const email = (await getEmail(first.emailMessageId)).body;
    expect(email).toMatchObject({ status: 'delivered', events: { accepted: 1, delivered: 1 } });
    expect(email.eventTimestamps.delivered).toBe(new Date(clock.now() - 2000).toISOString());
    expect(email.recipients).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ emailId: 'ops@example.com', status: 'delivered' }),
        expect.objectContaining({ emailId: 'audit@example.com', status: 'delivered' }),
      ]),
    );
    // The delivery's domain event carries the email with its counters: what LCEmailStats webhooks are made from.
    const events = await harness.server.store.db
      .selectFrom('domain_events')
      .selectAll()
      .where('location_id', '=', location.locationId)
      .where('type', '=', 'message.updated')
      .orderBy('seq')
      .execute();
    const delivered = events
      .map((row) => presentStoredPayload(JSON.parse(row.payload)) as any)
      .find((payload) => payload.email?.id === first.emailMessageId && payload.email.status === 'delivered');
    expect(delivered?.email.events).toEqual({ accepted: 1, delivered: 1 });
  });

  it('attaches stored files from the blob store and fetches other URLs', async () => {
    const contact = await createContact(location);
    const conversation = await createConversation(location, contact.id);
    const uploaded = await uploadMultipart(location, { conversationId: conversation.id }, [
      { name: 'notes.txt', bytes: Buffer.from('stored notes\n'), type: 'text/plain' },
    ]);
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
    const storedUrl = Object.values(uploaded.body.uploadedFiles as Record<string, string>)[0] as string;
    const sent = await send({
      contactId: contact.id,
      subject: 'Files',
      html: '<p>See attached</p>',
      attachments: [storedUrl, `${filesUrl}/report.txt`],
    });
    await deliver();
    const mail = await received(sent.emailMessageId);
    expect(
      mail.parsed.attachments.map((a) => ({ name: a.filename, type: a.contentType, text: a.content.toString() })),
    ).toEqual([
      { name: 'notes.txt', type: 'text/plain', text: 'stored notes\n' },
      { name: 'report.txt', type: 'text/plain', text: 'remote report' },
    ]);
    expect((await getMessage(sent.messageId)).body.message.status).toBe('delivered');
  });

  it('retries a 451 with backoff and delivers once the server accepts', async () => {
    const contact = await createContact(location);
    sink.dataReplies.push(451);
    const sent = await send({ contactId: contact.id, subject: 'Later', html: '<p>Busy server</p>' });
    const before = sink.received.length;
    await deliver();
    expect((await getMessage(sent.messageId)).body.message.status).toBe('pending');
    expect(sink.received.length).toBe(before);
    const job = await harness.server.store.db
      .selectFrom('jobs')
      .selectAll()
      .where('subject_id', '=', sent.emailMessageId)
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'pending', attempts: 1 });
    expect(job.last_error).toContain('451');

    clock.advance(5 * 60_000);
    await deliver();
    expect((await getMessage(sent.messageId)).body.message.status).toBe('delivered');
    const rfcId = await rfcIdOf(sent.emailMessageId);
    expect(sink.received.filter((mail) => mail.parsed.messageId === rfcId)).toHaveLength(1);
    expect((await getEmail(sent.emailMessageId)).body.events).toEqual({ accepted: 1, delivered: 1 });
  });

  it('fails a message the server refuses with 550, with the SMTP error on it, and never retries', async () => {
    const contact = await createContact(location);
    sink.dataReplies.push(550);
    const sent = await send({ contactId: contact.id, subject: 'Spammy', html: '<p>Refused</p>' });
    await deliver();
    const message = (await getMessage(sent.messageId)).body.message;
    expect(message.status).toBe('failed');
    expect(message.error).toEqual({ code: '550', type: 'smtp', message: '550 Message rejected' });
    const email = (await getEmail(sent.emailMessageId)).body;
    expect(email).toMatchObject({ status: 'failed', events: { permanent_fail: 1, accepted: 1 } });

    // An hour on, other jobs fall due (earlier tests' stored files are collected then), but this delivery is not
    // tried again: its one job stays done after one attempt.
    clock.advance(60 * 60_000);
    await deliver();
    const jobs = await harness.server.store.db
      .selectFrom('jobs')
      .select(['status', 'attempts'])
      .where('kind', '=', 'message.deliver')
      .where('subject_id', '=', sent.emailMessageId)
      .execute();
    expect(jobs).toEqual([{ status: 'done', attempts: 1 }]);
    expect(sink.byMessageId(await rfcIdOf(sent.emailMessageId))).toBeUndefined();
  });

  it('delivers to the recipients the server accepts and records the one it refuses', async () => {
    const contact = await createContact(location);
    sink.refusedRecipients.add('gone@example.com');
    const sent = await send({
      contactId: contact.id,
      html: '<p>To some</p>',
      emailCc: ['gone@example.com', 'here@example.com'],
    });
    await deliver();
    const mail = await received(sent.emailMessageId);
    expect(mail.envelope.to).toEqual([contact.email, 'here@example.com']);
    const email = (await getEmail(sent.emailMessageId)).body;
    expect(email).toMatchObject({ status: 'delivered', events: { accepted: 1, delivered: 1, permanent_fail: 1 } });
    expect(email.recipients).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ emailId: 'here@example.com', status: 'delivered' }),
        expect.objectContaining({
          emailId: 'gone@example.com',
          status: 'failed',
          failReason: expect.stringContaining('550'),
        }),
      ]),
    );
  });

  it('keeps other channels on the dev outbox', async () => {
    const contact = await createContact(location, { phone: uniquePhone() });
    const before = sink.received.length;
    const sent = await location.api.post(SEND, '/conversations/messages', {
      type: 'SMS',
      contactId: contact.id,
      message: 'Not an email',
    });
    await deliver();
    expect((await getMessage(sent.body.messageId)).body.message.status).toBe('delivered');
    expect(sink.received.length).toBe(before);
    const outbox = await harness.admin.get(null, `/admin/v1/locations/${location.locationId}/outbox`);
    expect(outbox.body.outbox.map((r: { messageId: string }) => r.messageId)).toContain(sent.body.messageId);
  });
});
