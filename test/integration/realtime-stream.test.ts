// The realtime event stream: a location's domain events as server-sent events, in order, resumable with
// Last-Event-ID without gaps or repeats, bounded by the retained log, and never another location's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { loggedEvents } from '../helpers/event-log.js';
import {
  createContact,
  createConversation,
  createLocation,
  issueToken,
  type TestLocation,
} from '../helpers/factories.js';
import { type Harness, startHarness, VERSION } from '../helpers/harness.js';
import { SseStream, seqs } from '../helpers/sse.js';

const STREAM = '/conversations/events/stream';

/** A reader of events and of the messages in them (message bodies need the message scope: docs/security.md). */
const READER_SCOPES = ['conversations.readonly', 'conversations/message.readonly'];

describe.each(ENGINES)('realtime stream on %s', (engine) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(engine, {
      env: {
        TYPING_TTL_MS: '400',
        REALTIME_HEARTBEAT_MS: '200',
        REALTIME_RETENTION_EVENTS: '10',
        // Pruning runs when the test says so.
        REALTIME_PRUNE_INTERVAL_MS: String(24 * 3600_000),
      },
    });
  });
  afterAll(() => harness?.close());

  /** A stream of the location, opened with a read-only token; resolves once the server has sent `ready`. */
  async function follow(location: TestLocation, headers: Record<string, string> = {}, query = '') {
    const token = await issueToken(harness, location.locationId, READER_SCOPES);
    const stream = await SseStream.open(`${harness.baseUrl}${STREAM}${query}`, {
      authorization: `Bearer ${token}`,
      version: VERSION,
      ...headers,
    });
    await stream.next('ready');
    return stream;
  }

  async function inbound(location: TestLocation, contactId: string, message: string) {
    const response = await location.api.post(
      'conversations:add-an-inbound-message',
      '/conversations/messages/inbound',
      { type: 'SMS', contactId, message },
    );
    expect(response.status).toBe(200);
    return response.body as { messageId: string; conversationId: string };
  }

  async function logged(location: TestLocation) {
    return (await loggedEvents(harness, location.locationId)).map(({ seq, type, id }) => ({ seq, type, id }));
  }

  it('delivers every event of the location in order, with its seq as the id and its snapshot', async () => {
    const location = await createLocation(harness);
    const stream = await follow(location);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('x-trace-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(stream.events[0]).toMatchObject({ event: 'ready', id: '0', data: { lastEventId: 0 } });

    const contact = await createContact(location, { phone: '+15550100001' });
    const sent = await location.api.post('conversations:send-a-new-message', '/conversations/messages', {
      type: 'SMS',
      contactId: contact.id,
      message: 'Hello',
    });
    await inbound(location, contact.id, 'Hi back');
    await location.api.put('conversations:update-conversation', `/conversations/${sent.body.conversationId}`, {
      locationId: location.locationId,
      starred: true,
      unreadCount: 0,
    });
    await location.api.delete('conversations:delete-conversation', `/conversations/${sent.body.conversationId}`);

    await stream.until((events) => events.some((e) => e.event === 'conversation.deleted'), 10_000, 'the deletion');
    const log = await logged(location);
    const received = stream.stored;
    expect(seqs(received)).toEqual(log.map((e) => e.seq));
    expect(seqs(received)).toEqual(received.map((_, index) => index + 1));
    expect(received.map((e) => e.event)).toEqual(log.map((e) => e.type));
    expect(received.map((e) => e.data.id)).toEqual(log.map((e) => e.id));
    const created = received.find((e) => e.event === 'message.created' && e.data.message.id === sent.body.messageId);
    expect(created?.data).toMatchObject({
      type: 'message.created',
      locationId: location.locationId,
      seq: Number(created?.id),
      message: { id: sent.body.messageId, body: 'Hello', direction: 'outbound', messageType: 'TYPE_SMS' },
      conversation: { id: sent.body.conversationId, contactId: contact.id },
    });
    const starred = received.find((e) => e.event === 'conversation.updated' && e.data.changes?.includes('starred'));
    expect(starred?.data.conversation).toMatchObject({ starred: true, unreadCount: 0 });
    expect(received.at(-1)?.data.conversation).toMatchObject({ id: sent.body.conversationId, deleted: true });
    stream.close();
  });

  it('resumes with Last-Event-ID: every event missed while disconnected, exactly once, then live ones', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: '+15550100002' });
    const first = await follow(location);
    // A burst, with the client dropping out in the middle of it.
    const writes = (async () => {
      for (let i = 0; i < 15; i += 1) await inbound(location, contact.id, `burst ${i}`);
    })();
    await first.until((events) => events.filter((e) => e.id && e.event !== 'ready').length >= 3, 10_000, '3 events');
    first.close();
    const seen = first.stored;
    const lastId = seen.at(-1)?.id as string;
    await writes;

    const second = await follow(location, { 'last-event-id': lastId });
    expect(second.events[0]).toMatchObject({ event: 'ready', id: lastId });
    const head = (await logged(location)).at(-1)?.seq as number;
    await second.until((events) => events.some((e) => Number(e.id) === head), 10_000, `seq ${head}`);
    // Live events follow the replay on the same connection.
    await inbound(location, contact.id, 'after the reconnect');
    await second.until((events) => events.some((e) => e.data?.message?.body === 'after the reconnect'));
    const all = [...seen, ...second.stored];
    const ids = seqs(all);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, index) => index + 1));
    expect(new Set(all.map((e) => e.data.id)).size).toBe(all.length);
    expect(all.filter((e) => e.event === 'message.created')).toHaveLength(16);
    second.close();
  });

  it('takes the token and Version as query parameters, for EventSource, and lastEventId=0 replays the log', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: '+15550100003' });
    await inbound(location, contact.id, 'before anyone listened');
    const token = await issueToken(harness, location.locationId, READER_SCOPES);
    const query = `?access_token=${token}&version=${VERSION}&lastEventId=0&follow=false`;
    const replay = await SseStream.open(`${harness.baseUrl}${STREAM}${query}`);
    await replay.end();
    expect(replay.headers.get('access-control-allow-origin')).toBe('*');
    expect(seqs(replay.stored)).toEqual((await logged(location)).map((e) => e.seq));
    expect(replay.stored.some((e) => e.data.message?.body === 'before anyone listened')).toBe(true);

    const withoutVersion = await fetch(`${harness.baseUrl}${STREAM}?access_token=${token}`);
    expect(withoutVersion.status).toBe(401);
    expect(withoutVersion.headers.get('access-control-allow-origin')).toBe('*');
    const headerWins = await fetch(`${harness.baseUrl}${STREAM}?access_token=${token}&follow=false`, {
      headers: { authorization: 'Bearer pit-00000000-0000-0000-0000-000000000000', version: VERSION },
    });
    expect(headerWins.status).toBe(401);
    const head = await fetch(`${harness.baseUrl}${STREAM}?access_token=${token}&version=${VERSION}`, {
      method: 'HEAD',
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/^text\/event-stream/);
  });

  it('shows another location nothing, and refuses a token naming another location', async () => {
    const owner = await createLocation(harness);
    const stranger = await createLocation(harness);
    const ownerStream = await follow(owner);
    const strangerStream = await follow(stranger);
    const conversation = await createConversation(owner);
    await inbound(owner, conversation.contactId, 'private');
    const typing = await owner.api.post(
      'conversations:live-chat-agent-typing',
      '/conversations/providers/live-chat/typing',
      { locationId: owner.locationId, conversationId: conversation.id, visitorId: 'v1', isTyping: true },
    );
    expect(typing.status).toBe(201);
    await ownerStream.until((events) => events.some((e) => e.event === 'typing'));
    await ownerStream.until((events) => events.some((e) => e.event === 'message.created'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(strangerStream.events.map((e) => e.event)).toEqual(['ready']);

    const foreign = await fetch(`${harness.baseUrl}${STREAM}?locationId=${owner.locationId}`, {
      headers: { authorization: `Bearer ${stranger.token}`, version: VERSION },
    });
    expect(foreign.status).toBe(403);
    // A stranger's Last-Event-ID cannot open the owner's log either: ids are positions in the token's own location.
    const replay = await SseStream.open(`${harness.baseUrl}${STREAM}?lastEventId=0&follow=false`, {
      authorization: `Bearer ${stranger.token}`,
      version: VERSION,
    });
    await replay.end();
    expect(replay.stored).toEqual([]);
    ownerStream.close();
    strangerStream.close();
  });

  it('publishes typing without an id, and turns an unrenewed isTyping true into false by itself', async () => {
    const location = await createLocation(harness);
    const stream = await follow(location);
    const conversation = await createConversation(location);
    const type = (isTyping: unknown) =>
      location.api.post('conversations:live-chat-agent-typing', '/conversations/providers/live-chat/typing', {
        locationId: location.locationId,
        conversationId: conversation.id,
        visitorId: 'visitor-1',
        isTyping,
      });
    expect((await type('true')).body).toMatchObject({ success: true });
    const started = await stream.next('typing');
    expect(started.id).toBeUndefined();
    expect(started.data).toMatchObject({
      conversationId: conversation.id,
      contactId: conversation.contactId,
      visitorId: 'visitor-1',
      actor: 'agent',
      isTyping: true,
      ttlMs: 400,
    });
    const stopped = await stream.next('typing', stream.events.indexOf(started) + 1, 3000);
    expect(stopped.data).toMatchObject({ isTyping: false, expired: true });

    // Renewed within the time, it holds; an explicit false ends it at once, with no expiry after.
    const before = stream.events.length;
    await type(true);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await type(true);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const typingSince = (from: number) => stream.events.slice(from).filter((e) => e.event === 'typing');
    expect(typingSince(before).map((e) => e.data.isTyping)).toEqual([true, true]);
    await type(false);
    await stream.until((events) => events.slice(before).filter((e) => e.event === 'typing').length === 3);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(typingSince(before).map((e) => [e.data.isTyping, e.data.expired ?? false])).toEqual([
      [true, false],
      [true, false],
      [false, false],
    ]);
    expect(await stream.until(() => stream.comments > 0)).toBeDefined();
    stream.close();
  });

  it('answers typing with 422 for a bad body and 404 for an unknown conversation', async () => {
    const location = await createLocation(harness);
    const conversation = await createConversation(location);
    const path = '/conversations/providers/live-chat/typing';
    const body = { locationId: location.locationId, conversationId: conversation.id, visitorId: 'v', isTyping: true };
    for (const bad of [{ isTyping: 'maybe' }, { isTyping: 1 }, { visitorId: undefined }, { conversationId: 42 }]) {
      const response = await location.api.post('conversations:live-chat-agent-typing', path, { ...body, ...bad });
      expect(response.status, JSON.stringify(bad)).toBe(422);
      expect(Array.isArray(response.body.message)).toBe(true);
    }
    const unknown = await location.api.post('conversations:live-chat-agent-typing', path, {
      ...body,
      conversationId: 'unknownConversation0',
    });
    expect(unknown.status).toBe(404);
  });

  it('keeps the log bounded, and tells a client that fell behind it with a resync', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: '+15550100004' });
    for (let i = 0; i < 8; i += 1) await inbound(location, contact.id, `old ${i}`);
    await logged(location);
    await harness.server.services.realtime.prune();
    const log = await logged(location);
    expect(log).toHaveLength(10);
    const oldest = log[0]?.seq as number;
    expect(oldest).toBeGreaterThan(1);

    const stream = await follow(location, { 'last-event-id': '1' });
    const resync = await stream.next('resync');
    expect(resync).toMatchObject({ id: String(oldest - 1), data: { reason: 'retention', from: 2, to: oldest - 1 } });
    await stream.until((events) => events.some((e) => Number(e.id) === log.at(-1)?.seq));
    expect(seqs(stream.stored)).toEqual(log.map((e) => e.seq));

    const future = await follow(location, { 'last-event-id': '999999' });
    expect(future.events[0]).toMatchObject({ event: 'resync', data: { reason: 'unknown-id' } });
    expect(future.events[1]).toMatchObject({ event: 'ready', id: String(log.at(-1)?.seq) });
    stream.close();
    future.close();
  });

  it('ends open streams when the server closes, promptly', async () => {
    const own = await startHarness(engine);
    try {
      const location = await createLocation(own);
      const stream = await SseStream.open(`${own.baseUrl}${STREAM}`, {
        authorization: `Bearer ${location.token}`,
        version: VERSION,
      });
      await stream.next('ready');
      expect(own.server.services.realtime.openStreams).toBe(1);
      const started = Date.now();
      await own.close();
      await stream.end(5000);
      expect(Date.now() - started).toBeLessThan(5000);
    } catch (error) {
      await own.close().catch(() => undefined);
      throw error;
    }
  });
});
