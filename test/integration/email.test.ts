// Email threads and the email operations: get an email by id, a custom provider's status reports (with event
// inference), and cancelling a scheduled email. The worker is off: deliveries run when the test says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import {
  createContact,
  createLocation,
  createProvider,
  type TestLocation,
  type TestProvider,
} from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const SEND = 'conversations:send-a-new-message' as const;
const GET = 'conversations:get-email-by-id' as const;
const STATUS = 'conversations:update-email-message-status' as const;
const CANCEL = 'conversations:cancel-scheduled-email-message' as const;

interface Sent {
  conversationId: string;
  messageId: string;
  emailMessageId: string;
  msg: string;
}

describe.each(ENGINES)('email on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  let other: TestLocation;
  /** An Email provider on the location: its app's token makes the status reports. */
  let mail: TestProvider;
  const clock = new TestClock();

  beforeAll(async () => {
    harness = await startHarness(engine, { clock, env: { WORKER_ENABLED: 'false' } });
    location = await createLocation(harness);
    other = await createLocation(harness);
    mail = await createProvider(harness, location, { type: 'Email' });
  });
  afterAll(() => harness?.close());

  const db = () => harness.server.store.db;
  const deliver = () => harness.server.services.jobs.runDue();

  async function send(body: Record<string, unknown>, at: TestLocation = location): Promise<Sent> {
    clock.advance(1000); // distinct send times keep the thread's order unambiguous
    const sent = await at.api.post(SEND, '/conversations/messages', { type: 'Email', ...body });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    return sent.body;
  }
  const getEmail = (id: string, at: TestLocation = location) => at.api.get(GET, `/conversations/messages/email/${id}`);
  const report = (id: string, body: Record<string, unknown>, at: TestLocation = mail.app) =>
    at.api.put(STATUS, `/conversations/messages/email/${id}/status`, body);
  const cancel = (id: string, at: TestLocation = location) =>
    at.api.delete(CANCEL, `/conversations/messages/email/${id}/schedule`);
  const messageRow = (id: string) => db().selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
  async function outboxEmail(emailId: string) {
    const row = await db().selectFrom('dev_outbox').selectAll().where('email_id', '=', emailId).executeTakeFirst();
    return row && (JSON.parse(row.payload).email as { rfcMessageId: string; inReplyTo?: string; references: string[] });
  }

  it('threads replies by threadId, replyMessageId, reply_all and an inbound emailMessageId', async () => {
    const contact = await createContact(location);
    const first = await send({
      contactId: contact.id,
      html: '<p>Your order</p>',
      subject: 'Order 1',
      emailCc: ['ops@example.com'],
    });
    expect(first.emailMessageId).toEqual(expect.any(String));
    const byThread = await send({ contactId: contact.id, html: '<p>Any news?</p>', threadId: first.emailMessageId });
    const byReply = await send({
      contactId: contact.id,
      html: '<p>Following up</p>',
      replyMessageId: byThread.emailMessageId,
    });
    const replyAll = await send({
      contactId: contact.id,
      html: '<p>All of you</p>',
      replyMessageId: first.emailMessageId,
      emailReplyMode: 'reply_all',
    });
    clock.advance(1000);
    const inbound = await location.api.post('conversations:add-an-inbound-message', '/conversations/messages/inbound', {
      type: 'Email',
      contactId: contact.id,
      html: '<p>Thanks!</p>',
      subject: 'Re: Order 1',
      emailFrom: contact.email,
      emailMessageId: replyAll.emailMessageId,
    });
    expect(inbound.status, JSON.stringify(inbound.body)).toBe(200);
    const inboundId = inbound.body.emailMessageId as string;
    // One conversation message holds the whole thread.
    for (const sent of [byThread, byReply, replyAll]) expect(sent.messageId).toBe(first.messageId);
    expect(inbound.body.messageId).toBe(first.messageId);
    expect(await deliver()).toBe(4);

    const root = await getEmail(first.emailMessageId);
    expect(root.status).toBe(200);
    expect(root.body).toMatchObject({
      id: first.emailMessageId,
      threadId: first.emailMessageId,
      locationId: location.locationId,
      contactId: contact.id,
      conversationId: first.conversationId,
      subject: 'Order 1',
      body: '<p>Your order</p>',
      direction: 'outbound',
      status: 'delivered',
      contentType: 'text/html',
      to: [contact.email],
      cc: ['ops@example.com'],
      bcc: [],
      source: 'api',
      events: {},
      recipients: [],
    });
    expect(root.body.replyToMessageId).toBeUndefined();
    expect(root.body.dateAdded).toBe(new Date(root.body.dateAdded).toISOString());

    const expected: [string, string | undefined, Record<string, unknown>][] = [
      [byThread.emailMessageId, undefined, { subject: 'Re: Order 1' }],
      [byReply.emailMessageId, byThread.emailMessageId, { subject: 'Re: Order 1' }],
      [replyAll.emailMessageId, first.emailMessageId, { cc: ['ops@example.com'] }],
      [inboundId, replyAll.emailMessageId, { direction: 'inbound', from: contact.email, status: 'delivered' }],
    ];
    for (const [id, replyTo, fields] of expected) {
      const email = await getEmail(id);
      expect(email.body).toMatchObject({ id, threadId: first.emailMessageId, ...fields });
      expect(email.body.replyToMessageId).toBe(replyTo);
    }
    const ids = (await db().selectFrom('emails').select('id').where('message_id', '=', first.messageId).execute()).map(
      (row) => row.id,
    );
    expect(ids.sort()).toEqual(
      [
        first.emailMessageId,
        byThread.emailMessageId,
        byReply.emailMessageId,
        replyAll.emailMessageId,
        inboundId,
      ].sort(),
    );

    // What went out carries the In-Reply-To / References chain of the thread.
    const [rootOut, threadOut, replyOut, allOut] = await Promise.all(
      [first, byThread, byReply, replyAll].map((sent) => outboxEmail(sent.emailMessageId)),
    );
    if (!rootOut || !threadOut || !replyOut || !allOut) throw new Error('a delivery is missing from the outbox');
    expect(rootOut.inReplyTo).toBeUndefined();
    expect(rootOut.references).toEqual([]);
    expect(threadOut).toMatchObject({ inReplyTo: rootOut.rfcMessageId, references: [rootOut.rfcMessageId] });
    expect(replyOut).toMatchObject({
      inReplyTo: threadOut.rfcMessageId,
      references: [rootOut.rfcMessageId, threadOut.rfcMessageId],
    });
    expect(allOut).toMatchObject({
      inReplyTo: rootOut.rfcMessageId,
      references: [rootOut.rfcMessageId, threadOut.rfcMessageId, replyOut.rfcMessageId],
    });
    expect(new Set([rootOut, threadOut, replyOut, allOut].map((e) => e.rfcMessageId)).size).toBe(4);
  });

  it('keeps a thread in order when its emails share a millisecond, and reply_all leaves out our own address', async () => {
    const contact = await createContact(location);
    const post = (body: Record<string, unknown>) =>
      location.api.post(SEND, '/conversations/messages', { type: 'Email', contactId: contact.id, ...body });
    clock.advance(1000);
    // No clock step between these: every email below is written in the same millisecond.
    const first = (await post({ html: '<p>One</p>', subject: 'Same time' })).body as Sent;
    const second = (await post({ html: '<p>Two</p>', threadId: first.emailMessageId })).body as Sent;
    const third = (await post({ html: '<p>Three</p>', threadId: first.emailMessageId })).body as Sent;
    await deliver();
    const chain = await Promise.all([first, second, third].map((sent) => outboxEmail(sent.emailMessageId)));
    expect(chain[1]?.references).toEqual([chain[0]?.rfcMessageId]);
    expect(chain[2]?.references).toEqual([chain[0]?.rfcMessageId, chain[1]?.rfcMessageId]);
    expect(chain[2]?.inReplyTo).toBe(chain[1]?.rfcMessageId);

    const inbound = await location.api.post('conversations:add-an-inbound-message', '/conversations/messages/inbound', {
      type: 'Email',
      contactId: contact.id,
      html: '<p>Looping in my colleague</p>',
      emailCc: ['colleague@example.com'],
    });
    const replyAll = (
      await post({
        html: '<p>Hello both</p>',
        replyMessageId: inbound.body.emailMessageId,
        emailReplyMode: 'reply_all',
      })
    ).body as Sent;
    const cc = (await getEmail(replyAll.emailMessageId)).body.cc as string[];
    expect(cc).toEqual(['colleague@example.com']);
  });

  it('answers 404 for an unknown email or another location’s, and accepts a missing Version header', async () => {
    const contact = await createContact(location);
    const sent = await send({ contactId: contact.id, html: '<p>Hi</p>' });
    expect((await getEmail('ve9EPM428h8vShlRW1KT')).status).toBe(404);
    expect((await getEmail(sent.emailMessageId, other)).status).toBe(404);
    const versionless = await location.api.get(GET, `/conversations/messages/email/${sent.emailMessageId}`, {
      headers: { version: undefined },
    });
    expect(versionless.status).toBe(200);
    expect(versionless.body.id).toBe(sent.emailMessageId);
    const badVersion = await location.api.get(GET, `/conversations/messages/email/${sent.emailMessageId}`, {
      headers: { version: 'v2' },
    });
    expect(badVersion.status).toBe(401);
    // The status update lists Version as required: it stays required there.
    const statusless = await location.api.put(
      STATUS,
      `/conversations/messages/email/${sent.emailMessageId}/status`,
      { status: 'delivered' },
      { headers: { version: undefined } },
    );
    expect(statusless.status).toBe(401);
    expect(statusless.body.message).toBe('version header was not found.');
  });

  describe('status updates', () => {
    async function providerEmail(fields: Record<string, unknown> = {}) {
      const contact = await createContact(location);
      const sent = await send({
        contactId: contact.id,
        html: '<p>Hello</p>',
        conversationProviderId: mail.providerId,
        ...fields,
      });
      await deliver();
      return { contact, sent, id: sent.emailMessageId };
    }

    it('overwrites the status, adds counters, infers events and keeps first timestamps', async () => {
      const { id, sent } = await providerEmail();
      const firstAt = new Date(clock.now()).toISOString();
      const delivered = await report(id, { status: 'delivered', events: { delivered: 1 } });
      expect(delivered.status).toBe(200);
      expect(delivered.body).toMatchObject({ success: true, message: 'Updated email message successfully' });
      let email = (await getEmail(id)).body;
      expect(email).toMatchObject({
        status: 'delivered',
        conversationProviderId: mail.providerId,
        events: { delivered: 1, accepted: 1 },
        eventTimestamps: { delivered: firstAt },
      });

      const clickedAt = new Date(clock.advance(60_000)).toISOString();
      const clicked = await report(id, {
        status: 'clicked',
        events: { clicked: 1, opened: 0, permanent_fail: 0, esp_isp_block: 2 },
      });
      expect(clicked.status).toBe(200);
      email = (await getEmail(id)).body;
      expect(email.status).toBe('clicked');
      expect(email.events).toEqual({ delivered: 1, accepted: 1, clicked: 1, opened: 1, esp_isp_block: 2 });
      expect(email.eventTimestamps).toEqual({ delivered: firstAt, opened: clickedAt, clicked: clickedAt });
      // The thread's message follows its latest email.
      expect((await messageRow(sent.messageId))?.status).toBe('clicked');

      clock.advance(60_000);
      await report(id, { status: 'opened', events: { delivered: 0, clicked: 2, opened: 1 } });
      email = (await getEmail(id)).body;
      expect(email.status).toBe('opened');
      expect(email.events).toEqual({ delivered: 1, accepted: 1, clicked: 3, opened: 2, esp_isp_block: 2 });
      expect(email.eventTimestamps).toEqual({ delivered: firstAt, opened: clickedAt, clicked: clickedAt });
    });

    it.each([
      { reported: { opened: 1 }, events: { opened: 1, delivered: 1, accepted: 1 } },
      { reported: { complained: 1 }, events: { complained: 1, opened: 1, delivered: 1, accepted: 1 } },
      { reported: { unsubscribed: 1 }, events: { unsubscribed: 1, opened: 1, delivered: 1, accepted: 1 } },
      { reported: { replied: 1, delivered: 2 }, events: { replied: 1, opened: 1, delivered: 2, accepted: 1 } },
      { reported: { temporary_fail: 1 }, events: { temporary_fail: 1, accepted: 1 } },
      { reported: { permanent_fail: 1, failed: 1 }, events: { permanent_fail: 1, failed: 1, accepted: 1 } },
      { reported: { rejected: 1 }, events: { rejected: 1 } },
    ])('infers from $reported', async ({ reported, events }) => {
      const { id } = await providerEmail();
      expect((await report(id, { status: 'delivered', events: reported })).status).toBe(200);
      expect((await getEmail(id)).body.events).toEqual(events);
    });

    it('adds up concurrent reports', async () => {
      const { id } = await providerEmail();
      const responses = await Promise.all(
        Array.from({ length: 8 }, () => report(id, { status: 'clicked', events: { clicked: 1 } })),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
      expect((await getEmail(id)).body.events).toEqual({ clicked: 8, opened: 1, delivered: 1, accepted: 1 });
    });

    it('does not infer opened when open tracking is off', async () => {
      const { id } = await providerEmail();
      await db().updateTable('emails').set({ open_tracking: 0 }).where('id', '=', id).execute();
      await report(id, { status: 'delivered', events: { clicked: 1 } });
      expect((await getEmail(id)).body.events).toEqual({ clicked: 1, delivered: 1, accepted: 1 });
    });

    it('upserts recipients, which must be original recipients, and stores nothing of a refused update', async () => {
      const { id, contact } = await providerEmail({ emailCc: ['cc@example.com'], emailBcc: ['audit@example.com'] });
      const first = await report(id, {
        status: 'delivered',
        events: { delivered: 1 },
        recipients: [
          { emailId: String(contact.email).toUpperCase(), status: 'delivered' },
          { emailId: 'cc@example.com', status: 'failed', failReason: 'Mailbox not found' },
        ],
      });
      expect(first.status).toBe(200);
      await report(id, { status: 'delivered', recipients: [{ emailId: 'audit@example.com', status: 'opened' }] });
      await report(id, { status: 'delivered', recipients: [{ emailId: 'cc@example.com', status: 'delivered' }] });
      const email = (await getEmail(id)).body;
      expect(email.recipients).toEqual([
        { emailId: contact.email, status: 'delivered', dateUpdated: expect.any(String) },
        { emailId: 'cc@example.com', status: 'delivered', dateUpdated: expect.any(String) },
        { emailId: 'audit@example.com', status: 'opened', dateUpdated: expect.any(String) },
      ]);

      const refused = await report(id, {
        status: 'failed',
        events: { opened: 1 },
        recipients: [
          { emailId: 'cc@example.com', status: 'failed' },
          { emailId: 'eve@example.com', status: 'delivered' },
        ],
      });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toBe('Not a recipient of this email: eve@example.com');
      const after = (await getEmail(id)).body;
      expect(after).toMatchObject({ status: 'delivered', events: { delivered: 1, accepted: 1 } });
      expect(after.recipients).toEqual(email.recipients);
    });

    it('moves the thread message only with the thread’s latest email', async () => {
      const { id, contact, sent } = await providerEmail();
      const reply = await send({
        contactId: contact.id,
        html: '<p>More</p>',
        threadId: id,
        conversationProviderId: mail.providerId,
      });
      await deliver();
      await report(id, { status: 'failed' });
      expect((await getEmail(id)).body.status).toBe('failed');
      // Handed to the provider (`sent`): only the provider's reports move it on.
      expect((await messageRow(sent.messageId))?.status).toBe('sent');
      await report(reply.emailMessageId, { status: 'opened', events: { opened: 1 } });
      expect((await messageRow(sent.messageId))?.status).toBe('opened');
    });

    it('refuses emails of the built-in service (403), inbound and unknown emails, and bad counters', async () => {
      const contact = await createContact(location);
      const builtIn = await send({ contactId: contact.id, html: '<p>Hi</p>' });
      await deliver();
      const forbidden = await report(builtIn.emailMessageId, { status: 'delivered', events: { delivered: 1 } });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body).toMatchObject({
        statusCode: 403,
        error: 'Forbidden',
        message: 'Status updates are only supported for custom conversation provider emails',
      });
      expect((await getEmail(builtIn.emailMessageId)).body.events).toEqual({});

      const inbound = await mail.app.api.post(
        'conversations:add-an-inbound-message',
        '/conversations/messages/inbound',
        {
          type: 'Email',
          contactId: contact.id,
          html: '<p>In</p>',
          conversationProviderId: mail.providerId,
        },
      );
      expect((await report(inbound.body.emailMessageId, { status: 'delivered' })).status).toBe(403);
      expect((await report('ve9EPM428h8vShlRW1KT', { status: 'delivered' })).status).toBe(404);
      const { id } = await providerEmail();
      expect((await report(id, { status: 'delivered' }, other)).status).toBe(404);
      for (const body of [
        {},
        { status: 'bounced' },
        { status: 'delivered', events: { delivered: -1 } },
        { status: 'delivered', events: { delivered: 1.5 } },
        { status: 'delivered', events: { esp_isp_block: 'many' } },
        { status: 'delivered', events: { 'Not A Counter': 1 } },
        { status: 'delivered', recipients: [{ emailId: 'x@example.com' }] },
      ]) {
        const response = await report(id, body);
        expect(response.status, JSON.stringify(body)).toBe(422);
        expect(Array.isArray(response.body.message)).toBe(true);
      }
    });
  });

  describe('scheduled emails', () => {
    const inAnHour = () => Math.floor(clock.now() / 1000) + 3600;

    it('cancels a scheduled email: nothing is delivered, and a second cancel answers 400', async () => {
      const contact = await createContact(location);
      const scheduled = await send({
        contactId: contact.id,
        html: '<p>Later</p>',
        scheduledTimestamp: inAnHour(),
        conversationProviderId: mail.providerId,
      });
      expect(scheduled.msg).toBe('Message scheduled successfully.');
      expect((await getEmail(scheduled.emailMessageId)).body.status).toBe('scheduled');
      // Not sent yet: a provider cannot report on it.
      expect((await report(scheduled.emailMessageId, { status: 'delivered' })).status).toBe(400);
      expect((await cancel(scheduled.emailMessageId, other)).status).toBe(404);

      const cancelled = await location.api.delete(
        CANCEL,
        `/conversations/messages/email/${scheduled.emailMessageId}/schedule`,
        {
          headers: { version: undefined },
        },
      );
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ status: 200, message: expect.any(String) });
      expect((await getEmail(scheduled.emailMessageId)).status).toBe(404);
      expect(await messageRow(scheduled.messageId)).toBeUndefined();

      clock.advance(2 * 3600 * 1000);
      await deliver();
      const outbox = await db()
        .selectFrom('dev_outbox')
        .select('id')
        .where('message_id', '=', scheduled.messageId)
        .execute();
      expect(outbox).toEqual([]);
      const jobs = await db()
        .selectFrom('jobs')
        .select('status')
        .where('subject_id', '=', scheduled.emailMessageId)
        .execute();
      expect(jobs).toEqual([{ status: 'cancelled' }]);

      const again = await cancel(scheduled.emailMessageId);
      expect(again.status).toBe(400);
      expect(again.body).toMatchObject({ status: 400, message: 'Scheduled email message already cancelled' });
      const unknown = await cancel('ve9EPM428h8vShlRW1KT');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ status: 404, message: 'Scheduled email message not found' });
    });

    it('cancels a scheduled reply and leaves its thread as it was', async () => {
      const contact = await createContact(location);
      const first = await send({ contactId: contact.id, html: '<p>Sent now</p>', subject: 'Now' });
      await deliver();
      const reply = await send({
        contactId: contact.id,
        html: '<p>Sent later</p>',
        threadId: first.emailMessageId,
        scheduledTimestamp: inAnHour(),
      });
      expect(reply.messageId).toBe(first.messageId);
      expect((await cancel(reply.emailMessageId)).status).toBe(200);
      const thread = await messageRow(first.messageId);
      expect(thread).toMatchObject({ status: 'delivered', body: 'Sent now' });
      expect((await getEmail(first.emailMessageId)).body.status).toBe('delivered');
      clock.advance(2 * 3600 * 1000);
      await deliver();
      expect(await outboxEmail(reply.emailMessageId)).toBeUndefined();
    });

    it('answers 400 once the email has been sent, scheduled or not', async () => {
      const contact = await createContact(location);
      const scheduled = await send({ contactId: contact.id, html: '<p>Due</p>', scheduledTimestamp: inAnHour() });
      clock.advance(3600 * 1000 + 1000);
      expect(await deliver()).toBe(1);
      expect((await getEmail(scheduled.emailMessageId)).body.status).toBe('delivered');
      expect(await outboxEmail(scheduled.emailMessageId)).toBeDefined();
      const late = await cancel(scheduled.emailMessageId);
      expect(late.status).toBe(400);
      expect(late.body).toMatchObject({ status: 400, statusCode: 400 });

      const now = await send({ contactId: contact.id, html: '<p>Now</p>' });
      expect((await cancel(now.emailMessageId)).status).toBe(400);
    });
  });
});
