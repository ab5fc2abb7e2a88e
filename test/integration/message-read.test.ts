// Reading messages: get-message and get-messages in their production shapes (docs/behaviour.md#message-shapes), paging
// a conversation's history by lastMessageId, the type filter, and both operations through the official SDK.
import type { HighLevel } from '@gohighlevel/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateMessage } from '../../src/store/repositories/messages.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { highLevelClient } from '../helpers/sdk.js';
import { specErrors } from '../helpers/spec-validator.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe.each(ENGINES)('message reads on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  let other: TestLocation;
  let phoneCounter = 0;

  beforeAll(async () => {
    harness = await startHarness(engine);
    location = await createLocation(harness);
    other = await createLocation(harness);
  });
  afterAll(() => harness?.close());

  async function reachableContact(at = location) {
    phoneCounter += 1;
    return createContact(at, { phone: `+1555${String(1_000_000 + phoneCounter).slice(-7)}` });
  }

  async function send(body: Record<string, unknown>, at = location) {
    const response = await at.api.post('conversations:send-a-new-message', '/conversations/messages', body);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as { conversationId: string; messageId: string; emailMessageId?: string };
  }

  async function inbound(body: Record<string, unknown>, at = location) {
    const response = await at.api.post('conversations:add-an-inbound-message', '/conversations/messages/inbound', body);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as { conversationId: string; messageId: string; emailMessageId?: string };
  }

  const getMessage = (id: string, at = location) =>
    at.api.get('conversations:get-message', `/conversations/messages/${encodeURIComponent(id)}`);

  const getMessages = (
    conversationId: string,
    query: Record<string, string | number | undefined> = {},
    at = location,
  ) => at.api.get('conversations:get-messages', `/conversations/${conversationId}/messages`, { query });

  /** Every page of a conversation's history, following lastMessageId. */
  async function walk(conversationId: string, query: Record<string, string | number> = {}) {
    const ids: string[] = [];
    let lastMessageId: string | undefined;
    for (let pages = 0; pages < 100; pages += 1) {
      const page = await getMessages(conversationId, { ...query, lastMessageId });
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      const { messages, nextPage } = page.body.messages as { messages: { id: string }[]; nextPage: boolean };
      ids.push(...messages.map((m) => m.id));
      if (!nextPage) return ids;
      lastMessageId = page.body.messages.lastMessageId;
      expect(lastMessageId).toBe(messages.at(-1)?.id);
    }
    throw new Error('paging did not end');
  }

  it('gets an outbound SMS in the production shape {message: {...}}', async () => {
    const contact = await reachableContact();
    const sent = await send({ type: 'SMS', contactId: contact.id, message: 'Hello there' });
    const response = await getMessage(sent.messageId);
    expect(response.status).toBe(200);
    expect(response.body.traceId).toEqual(expect.any(String));
    const message = response.body.message;
    expect(message).toMatchObject({
      id: sent.messageId,
      type: 2,
      messageType: 'TYPE_SMS',
      locationId: location.locationId,
      contactId: contact.id,
      conversationId: sent.conversationId,
      body: 'Hello there',
      direction: 'outbound',
      contentType: 'text/plain',
      attachments: [],
      source: 'api',
      meta: {},
    });
    expect(message.dateAdded).toMatch(ISO);
    expect(message.dateUpdated).toMatch(ISO);
    expect(['pending', 'sent', 'delivered']).toContain(message.status);
  });

  it('gets an inbound call with its call meta, and an email thread with every email id', async () => {
    const contact = await reachableContact();
    const call = await inbound({
      type: 'Call',
      contactId: contact.id,
      call: { to: '+15550000001', from: '+15550000002', status: 'voicemail' },
    });
    const callMessage = (await getMessage(call.messageId)).body.message;
    expect(callMessage).toMatchObject({
      type: 1,
      messageType: 'TYPE_CALL',
      direction: 'inbound',
      status: 'delivered',
      subType: 'EXTERNAL_CALL',
      meta: { callStatus: 'voicemail' },
    });

    const first = await send({ type: 'Email', contactId: contact.id, html: '<p>First</p>', subject: 'Hi' });
    const reply = await inbound({
      type: 'Email',
      contactId: contact.id,
      html: '<p>Reply</p>',
      emailMessageId: first.emailMessageId,
    });
    expect(reply.messageId).toBe(first.messageId);
    const thread = (await getMessage(first.messageId)).body.message;
    expect(thread).toMatchObject({ type: 3, messageType: 'TYPE_EMAIL', contentType: 'text/html' });
    expect(thread.meta.email.messageIds).toEqual([first.emailMessageId, reply.emailMessageId]);
  });

  it('shows a failed message with its error, and a scheduled one as scheduled, listed only once sent', async () => {
    const contact = await reachableContact();
    const sent = await send({ type: 'SMS', contactId: contact.id, message: 'Will fail' });
    const error = { code: '30003', type: 'saas', message: 'Unreachable destination handset' };
    await updateMessage(harness.server.store.db, sent.messageId, { status: 'failed', error });
    expect((await getMessage(sent.messageId)).body.message).toMatchObject({ status: 'failed', error });

    const later = Math.floor(Date.now() / 1000) + 3600;
    const scheduled = await send({ type: 'SMS', contactId: contact.id, message: 'Later', scheduledTimestamp: later });
    expect((await getMessage(scheduled.messageId)).body.message.status).toBe('scheduled');
    // It has not happened yet: the history lists it at its send time, once sent (docs/message-history.md).
    const history = await getMessages(scheduled.conversationId);
    expect(history.body.messages.messages[0]).toMatchObject({ id: sent.messageId, status: 'failed' });
    expect(history.body.messages.messages.map((m: { id: string }) => m.id)).not.toContain(scheduled.messageId);
  });

  it('answers 404 for an unknown message and for another location’s, and serves export as a literal route', async () => {
    expect((await getMessage('nope0000000000000000')).status).toBe(404);
    const stranger = await reachableContact(other);
    const foreign = await send({ type: 'SMS', contactId: stranger.id, message: 'Elsewhere' }, other);
    const response = await getMessage(foreign.messageId);
    expect(response.status).toBe(404);
    expect(response.body.message).toBe('Message not found');
    // /conversations/messages/export is the export, not a message with the id "export".
    const exported = await location.api.get(
      'conversations:export-messages-by-location',
      '/conversations/messages/export',
      {
        query: { locationId: location.locationId },
      },
    );
    expect(exported.status).toBe(200);
    expect(exported.body).toMatchObject({ messages: expect.any(Array), total: expect.any(Number) });
  });

  it('pages a conversation newest first with lastMessageId, without duplicates or gaps', async () => {
    const contact = await reachableContact();
    const created: string[] = [];
    for (let i = 0; i < 23; i += 1) {
      const made =
        i % 3 === 0
          ? await inbound({ type: 'SMS', contactId: contact.id, message: `in ${i}` })
          : await send({ type: 'SMS', contactId: contact.id, message: `out ${i}` });
      created.push(made.messageId);
    }
    const { conversationId } = await send({ type: 'InternalComment', contactId: contact.id, message: 'note' });
    const all = await getMessages(conversationId, { limit: 100 });
    const newestFirst = (all.body.messages.messages as { id: string }[]).map((m) => m.id);
    expect(newestFirst.slice(1)).toEqual([...created].reverse());
    expect(all.body.messages.nextPage).toBe(false);

    const paged = await walk(conversationId, { limit: 7 });
    expect(paged).toEqual(newestFirst);
    expect(new Set(paged).size).toBe(paged.length);

    const first = await getMessages(conversationId);
    expect(first.body.messages.messages).toHaveLength(20);
    expect(first.body.messages.nextPage).toBe(true);
    expect(first.body.messages.lastMessageId).toBe(newestFirst[19]);
  });

  it('filters by a comma-separated list of types, the plural internal-comments name included', async () => {
    const contact = await reachableContact();
    const sms = await send({ type: 'SMS', contactId: contact.id, message: 'text' });
    const call = await inbound({ type: 'Call', contactId: contact.id, call: { status: 'completed' } });
    const email = await send({ type: 'Email', contactId: contact.id, html: '<b>mail</b>' });
    const note = await send({ type: 'InternalComment', contactId: contact.id, message: 'note' });
    const ids = async (type: string) =>
      ((await getMessages(sms.conversationId, { type })).body.messages.messages as { id: string }[]).map((m) => m.id);
    expect(await ids('TYPE_CALL,TYPE_EMAIL')).toEqual([email.messageId, call.messageId]);
    expect(await ids(' TYPE_SMS , TYPE_SMS ')).toEqual([sms.messageId]);
    expect(await ids('TYPE_INTERNAL_COMMENTS')).toEqual([note.messageId]);
    expect(await ids('TYPE_WHATSAPP')).toEqual([]);

    const paged = await walk(sms.conversationId, { type: 'TYPE_SMS,TYPE_CALL,TYPE_EMAIL', limit: 1 });
    expect(paged).toEqual([email.messageId, call.messageId, sms.messageId]);

    const bad = await getMessages(sms.conversationId, { type: 'TYPE_SMS,TYPE_BOGUS,sms' });
    expect(bad.status).toBe(422);
    expect(bad.body.message[0]).toContain('TYPE_BOGUS, sms');
  });

  it('refuses a lastMessageId that is unknown or of another conversation, and bad limits', async () => {
    const contact = await reachableContact();
    const mine = await send({ type: 'SMS', contactId: contact.id, message: 'a' });
    const elsewhere = await send({ type: 'SMS', contactId: (await reachableContact()).id, message: 'b' });
    for (const lastMessageId of ['nope0000000000000000', elsewhere.messageId]) {
      const response = await getMessages(mine.conversationId, { lastMessageId });
      expect(response.status).toBe(400);
      expect(response.body.message).toBe(`lastMessageId ${lastMessageId} is not a message of this conversation`);
    }
    for (const limit of [0, 101, 1.5]) {
      expect((await getMessages(mine.conversationId, { limit })).status).toBe(422);
    }
    expect((await getMessages(mine.conversationId, { limit: 100 })).status).toBe(200);
  });

  it('answers 404 for an unknown or foreign conversation and an empty page for a quiet one', async () => {
    expect((await getMessages('nope0000000000000000')).status).toBe(404);
    const foreign = await createConversation(other);
    const response = await getMessages(foreign.id);
    expect(response.status).toBe(404);
    expect(response.body.message).toBe('Conversation not found');
    const quiet = await createConversation(location);
    const empty = await getMessages(quiet.id);
    expect(empty.status).toBe(200);
    expect(empty.body.messages).toEqual({ lastMessageId: null, nextPage: false, messages: [] });
  });

  it('never answers 500 to odd query values or path ids on the three read routes', async () => {
    const contact = await reachableContact();
    const sent = await send({ type: 'SMS', contactId: contact.id, message: 'probe' });
    const values: (string | string[])[] = ['', ' ', '-1', '0', '1e400', 'NaN', 'x'.repeat(4000), '\u0000', '%', "'--"];
    values.push(['a', 'b'], 'Zoë 😀 \u202e', '2025-02-30T00:00:00Z', '9999-12-31T23:59:59Z', '..%2F..');
    const cases: [string, Record<string, string | string[]>][] = [];
    const exportParams = ['limit', 'cursor', 'sortBy', 'sortOrder', 'conversationId', 'contactId', 'channel'];
    for (const name of [...exportParams, 'startDate', 'endDate']) {
      for (const value of values) {
        cases.push(['/conversations/messages/export', { locationId: location.locationId, [name]: value }]);
      }
    }
    for (const name of ['lastMessageId', 'limit', 'type']) {
      for (const value of values) cases.push([`/conversations/${sent.conversationId}/messages`, { [name]: value }]);
    }
    for (const id of ['x'.repeat(199), '%00', '%E0%A4%A', encodeURIComponent("' OR 1=1 --"), '%20']) {
      cases.push([`/conversations/messages/${id}`, {}], [`/conversations/${id}/messages`, {}]);
    }
    const failures: string[] = [];
    for (const [path, query] of cases) {
      const response = await location.api.get(null, path, { query });
      const body = response.body as { statusCode?: number; traceId?: string };
      if (response.status >= 500 || (response.status >= 400 && body.statusCode !== response.status)) {
        failures.push(`${path.slice(0, 60)} ${JSON.stringify(query).slice(0, 80)} → ${response.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('serves getMessage, getMessages and exportMessagesByLocation to the official SDK', async () => {
    const place = await createLocation(harness);
    const sdk: HighLevel = highLevelClient(harness.baseUrl, place.token);
    const contact = await reachableContact(place);
    const first = await send({ type: 'SMS', contactId: contact.id, message: 'one' }, place);
    const second = await inbound({ type: 'SMS', contactId: contact.id, message: 'two' }, place);

    const one = await sdk.conversations.getMessage({ id: first.messageId });
    expect(specErrors('conversations', 'get-message', 200, one)).toEqual([]);
    // The SDK types the unwrapped DTO; production (and Switchboard) wrap it.
    expect((one as unknown as { message: { id: string } }).message.id).toBe(first.messageId);

    const page = await sdk.conversations.getMessages({ conversationId: first.conversationId, limit: 1 });
    expect(specErrors('conversations', 'get-messages', 200, page)).toEqual([]);
    const wrapped = page as unknown as { messages: { lastMessageId: string; nextPage: boolean } };
    expect(wrapped.messages).toMatchObject({ lastMessageId: second.messageId, nextPage: true });
    const next = (await sdk.conversations.getMessages({
      conversationId: first.conversationId,
      lastMessageId: wrapped.messages.lastMessageId,
      type: 'TYPE_SMS',
    })) as unknown as { messages: { messages: { id: string }[]; nextPage: boolean } };
    expect(next.messages.messages.map((m) => m.id)).toEqual([first.messageId]);

    const exported = await sdk.conversations.exportMessagesByLocation({
      locationId: place.locationId,
      limit: 10,
      sortOrder: 'asc',
      channel: 'SMS',
    });
    expect(specErrors('conversations', 'export-messages-by-location', 200, exported)).toEqual([]);
    expect(exported.total).toBe(2);
    expect(exported.messages?.map((m) => m.id)).toEqual([first.messageId, second.messageId]);
    expect(exported.nextCursor).toBeNull();
  });
});
