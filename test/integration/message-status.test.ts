// PUT /conversations/messages/{id}/status (provider status reports) and PUT .../attachments (call files).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageRow } from '../../src/domain/messages/records.js';
import { insertMessage } from '../../src/store/repositories/messages.js';
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
import { inbound, outboundCall, send, uniquePhone } from '../helpers/messages.js';

const url = (n: number) => `https://recordings.example.com/call-${n}.mp3`;

describe.each(ENGINES)('message status and attachments on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  let other: TestLocation;
  /** One app with an SMS, an Email and a Call provider on the location; `app` is its token there. */
  let app: TestLocation;
  const provider = { SMS: '', Email: '', Call: '' };
  const clock = new TestClock();

  const putStatus = (messageId: string, body: Record<string, unknown>, as: TestLocation = app) =>
    as.api.put('conversations:update-message-status', `/conversations/messages/${messageId}/status`, body);
  const putAttachments = (messageId: string, body: Record<string, unknown>, raw = false) =>
    location.api.put(
      'conversations:add-message-attachments',
      `/conversations/messages/${messageId}/attachments`,
      body,
      {
        raw,
      },
    );
  const getMessage = async (messageId: string) => {
    const read = await location.api.get('conversations:get-message', `/conversations/messages/${messageId}`);
    expect(read.status).toBe(200);
    return read.body.message as Record<string, any>;
  };
  const providerSms = async () => {
    const contact = await createContact(location, { phone: uniquePhone() });
    const sent = await send(location, {
      type: 'SMS',
      contactId: contact.id,
      message: 'hi',
      conversationProviderId: provider.SMS,
    });
    expect(sent.status).toBe(200);
    return sent.body as { messageId: string; conversationId: string };
  };

  beforeAll(async () => {
    harness = await startHarness(engine, { clock, env: { WORKER_ENABLED: 'false' } });
    location = await createLocation(harness);
    other = await createLocation(harness);
    const sms = await createProvider(harness, location, { type: 'SMS' });
    app = sms.app;
    provider.SMS = sms.providerId;
    for (const type of ['Email', 'Call'] as const) {
      provider[type] = (await createProvider(harness, location, { type, appId: sms.appId })).providerId;
    }
  });
  afterAll(() => harness?.close());

  describe('status', () => {
    it('records what the provider reports, and delivery does not overwrite it', async () => {
      const sms = await providerSms();
      const delivered = await putStatus(sms.messageId, { status: 'delivered' });
      expect(delivered.status).toBe(200);
      expect(delivered.body).toMatchObject({
        conversationId: sms.conversationId,
        messageId: sms.messageId,
        status: 'delivered',
      });
      expect((await putStatus(sms.messageId, { status: 'read' })).body.status).toBe('read');
      await harness.server.services.jobs.runDue();
      expect((await getMessage(sms.messageId)).status).toBe('read');
    });

    it('keeps the provider’s error on a failed message until a later success', async () => {
      const sms = await providerSms();
      const error = { code: '30003', type: 'saas', message: 'Unreachable destination handset' };
      expect((await putStatus(sms.messageId, { status: 'failed', error })).status).toBe(200);
      expect(await getMessage(sms.messageId)).toMatchObject({ status: 'failed', error });
      expect((await putStatus(sms.messageId, { status: 'failed' })).status).toBe(200);
      expect((await getMessage(sms.messageId)).error).toEqual(error);
      await putStatus(sms.messageId, { status: 'delivered' });
      const message = await getMessage(sms.messageId);
      expect(message.status).toBe('delivered');
      expect(message.error).toBeUndefined();
    });

    // Recipients as strings or objects: docs/behaviour.md#lenient-inputs.
    it('updates one email of a thread and its recipients, as strings or objects', async () => {
      const contact = await createContact(location);
      const first = await send(location, {
        type: 'Email',
        contactId: contact.id,
        html: '<p>hello</p>',
        emailCc: ['cc.person@example.com'],
        conversationProviderId: provider.Email,
      });
      const reported = await putStatus(first.body.messageId, {
        status: 'delivered',
        emailMessageId: first.body.emailMessageId,
        recipients: [contact.email, { emailId: 'CC.Person@example.com', status: 'failed', failReason: 'Mailbox full' }],
      });
      expect(reported.status).toBe(200);
      expect(reported.body).toMatchObject({ emailMessageId: first.body.emailMessageId, status: 'delivered' });
      const email = await location.api.get(
        'conversations:get-email-by-id',
        `/conversations/messages/email/${first.body.emailMessageId}`,
      );
      expect(email.body.status).toBe('delivered');
      expect(email.body.recipients).toEqual([
        expect.objectContaining({ emailId: contact.email, status: 'delivered' }),
        expect.objectContaining({ emailId: 'cc.person@example.com', status: 'failed', failReason: 'Mailbox full' }),
      ]);
      expect((await getMessage(first.body.messageId)).status).toBe('delivered');

      // A late report on the first email leaves the thread showing its newest email's fate.
      clock.advance(1_000);
      const reply = await send(location, {
        type: 'Email',
        contactId: contact.id,
        html: '<p>again</p>',
        threadId: first.body.emailMessageId,
        conversationProviderId: provider.Email,
      });
      await putStatus(first.body.messageId, { status: 'read', emailMessageId: first.body.emailMessageId });
      expect((await getMessage(first.body.messageId)).status).toBe('pending');
      await putStatus(first.body.messageId, { status: 'read', emailMessageId: reply.body.emailMessageId });
      expect((await getMessage(first.body.messageId)).status).toBe('read');
    });

    it('refuses recipients that are not the email’s, emails of other messages, and recipients on non-email', async () => {
      const contact = await createContact(location);
      const email = await send(location, {
        type: 'Email',
        contactId: contact.id,
        html: '<p>x</p>',
        conversationProviderId: provider.Email,
      });
      const stranger = await putStatus(email.body.messageId, {
        status: 'delivered',
        recipients: ['stranger@example.com'],
      });
      expect(stranger.status).toBe(400);
      expect(stranger.body.message).toBe('Not a recipient of this email: stranger@example.com');
      const sms = await providerSms();
      const foreignEmail = await putStatus(sms.messageId, {
        status: 'delivered',
        emailMessageId: email.body.emailMessageId,
      });
      expect(foreignEmail.status).toBe(400);
      const smsRecipients = await putStatus(sms.messageId, { status: 'delivered', recipients: [contact.email] });
      expect(smsRecipients.status).toBe(400);
    });

    it('answers 403 for a message no provider was handed, 400 for one not sent yet', async () => {
      const contact = await createContact(location, { phone: uniquePhone() });
      const own = await send(location, { type: 'SMS', contactId: contact.id, message: 'built-in' });
      const refused = await putStatus(own.body.messageId, { status: 'delivered' });
      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe('Message was not sent through a conversation provider');
      const received = await inbound(location, { type: 'SMS', contactId: contact.id, message: 'in' });
      expect((await putStatus(received.body.messageId, { status: 'read' })).status).toBe(403);
      const scheduled = await send(location, {
        type: 'SMS',
        contactId: contact.id,
        message: 'later',
        conversationProviderId: provider.SMS,
        scheduledTimestamp: Math.floor(clock.now() / 1000) + 3600,
      });
      expect((await putStatus(scheduled.body.messageId, { status: 'delivered' })).status).toBe(400);
    });

    it('answers 401 CONVERSATIONS_MSG_PROVIDER_NO_ACCESS to any token but the provider app’s', async () => {
      const sms = await providerSms();
      const stranger = await createProvider(harness, location);
      for (const as of [location, stranger.app]) {
        const refused = await putStatus(sms.messageId, { status: 'delivered' }, as);
        expect(refused.status).toBe(401);
        expect(refused.body).toMatchObject({ statusCode: 401, canonicalCode: 'CONVERSATIONS_MSG_PROVIDER_NO_ACCESS' });
      }
      expect((await getMessage(sms.messageId)).status).toBe('pending');
    });

    it('answers 404 for an unknown or another location’s message, 422 for a bad body', async () => {
      const sms = await providerSms();
      expect((await putStatus('nope', { status: 'delivered' })).status).toBe(404);
      expect((await putStatus(sms.messageId, { status: 'delivered' }, other)).status).toBe(404);
      expect((await putStatus(sms.messageId, { status: 'sent' })).status).toBe(422);
      expect((await putStatus(sms.messageId, {})).status).toBe(422);
      expect((await putStatus(sms.messageId, { status: 'failed', error: { code: '1' } })).status).toBe(422);
      const badRecipient = await putStatus(sms.messageId, { status: 'delivered', recipients: [{ status: 'read' }] });
      expect(badRecipient.status).toBe(422);
    });
  });

  describe('attachments', () => {
    const callLog = async () => {
      const conversation = await createConversation(location);
      const logged = await outboundCall(app, {
        type: 'Call',
        conversationId: conversation.id,
        conversationProviderId: provider.Call,
        call: { status: 'completed' },
      });
      return logged.body.messageId as string;
    };

    it('replaces an external call’s attachments', async () => {
      const messageId = await callLog();
      const set = await putAttachments(messageId, { attachments: [url(1), url(2)] });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ success: true, messageId, attachments: [url(1), url(2)] });
      expect((await getMessage(messageId)).attachments).toEqual([url(1), url(2)]);
      await putAttachments(messageId, { attachments: [url(3)] });
      expect((await getMessage(messageId)).attachments).toEqual([url(3)]);
      await putAttachments(messageId, { attachments: [] });
      expect((await getMessage(messageId)).attachments).toEqual([]);
    });

    it('accepts at most five URLs', async () => {
      const messageId = await callLog();
      expect((await putAttachments(messageId, { attachments: [1, 2, 3, 4, 5].map(url) })).status).toBe(200);
      const six = await putAttachments(messageId, { attachments: [1, 2, 3, 4, 5, 6].map(url) });
      expect(six.status).toBe(422);
      expect(six.body.message).toEqual(['attachments must contain no more than 5 elements']);
      expect((await putAttachments(messageId, { attachments: ['not a url'] })).status).toBe(422);
      expect((await putAttachments(messageId, {})).status).toBe(422);
    });

    it('supports custom calls, and refuses other messages with 403', async () => {
      const conversation = await createConversation(location);
      const row = (type: number, subType: string | null) =>
        insertMessage(
          harness.server.store.db,
          messageRow({
            locationId: location.locationId,
            conversationId: conversation.id,
            contactId: conversation.contactId,
            type,
            direction: 'outbound',
            status: 'delivered',
            body: '',
            subType,
            at: clock.now(),
            now: clock.now(),
          }),
        );
      const customCall = await row(34, null);
      expect((await putAttachments(customCall.id, { attachments: [url(1)] })).status).toBe(200);
      const internalCall = await row(1, null);
      const sms = await providerSms();
      for (const id of [internalCall.id, sms.messageId]) {
        const refused = await putAttachments(id, { attachments: [url(1)] });
        expect(refused.status).toBe(403);
        expect(refused.body.message).toBe('Message type does not support attachment updates');
      }
    });

    it('refuses attachments that are not absolute http(s) URLs with a 422 naming each, keeping the old ones', async () => {
      const messageId = await callLog();
      await putAttachments(messageId, { attachments: [url(1)] });
      const refused = await putAttachments(messageId, { attachments: [url(2), '/var/recordings/a.wav', 'https://'] });
      expect(refused.status).toBe(422);
      expect(refused.body.message).toEqual([
        'attachments[1] must be an absolute http or https URL (got "/var/recordings/a.wav")',
        'attachments[2] must be an absolute http or https URL (got "https://")',
      ]);
      expect((await getMessage(messageId)).attachments).toEqual([url(1)]);
    });

    it('answers 404 Message not found for an unknown or another location’s message', async () => {
      const messageId = await callLog();
      const unknown = await putAttachments('nope', { attachments: [url(1)] });
      expect(unknown.status).toBe(404);
      expect(unknown.body.message).toBe('Message not found');
      const foreign = await other.api.put(
        'conversations:add-message-attachments',
        `/conversations/messages/${messageId}/attachments`,
        { attachments: [url(1)] },
      );
      expect(foreign.status).toBe(404);
    });
  });
});
