// Several servers on one PostgreSQL database: an event written through server A, and an agent's typing sent to
// A, reach stream clients of server B through the bus (LISTEN/NOTIFY), not through B's poll of the log.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness, VERSION } from '../helpers/harness.js';
import { SseStream } from '../helpers/sse.js';

// Streams would find the events by polling the log only after ten minutes: within the test, only the bus wakes them.
const env = { REALTIME_POLL_MS: '600000', TYPING_TTL_MS: '500' };

describe.runIf(ENGINES.includes('postgres'))('realtime bus between servers on postgres', () => {
  let a: Harness;
  let b: Harness;

  beforeAll(async () => {
    a = await startHarness('postgres', { env, keepDatabase: true });
    b = await startHarness('postgres', { env, database: a.database });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await a?.database.drop();
  });

  async function followOn(server: Harness, location: TestLocation) {
    const stream = await SseStream.open(`${server.baseUrl}/conversations/events/stream`, {
      authorization: `Bearer ${location.token}`,
      version: VERSION,
    });
    await stream.next('ready');
    return stream;
  }

  it('uses LISTEN/NOTIFY on PostgreSQL by default', () => {
    expect(a.server.services.realtime.bus.kind).toBe('postgres');
    expect(b.server.services.realtime.bus.kind).toBe('postgres');
  });

  it('carries an event written through server A to a stream on server B', async () => {
    const location = await createLocation(a);
    const stream = await followOn(b, location);
    const contact = await createContact(location, { phone: '+15550200001' });
    const started = Date.now();
    const sent = await location.api.post('conversations:add-an-inbound-message', '/conversations/messages/inbound', {
      type: 'SMS',
      contactId: contact.id,
      message: 'through A',
    });
    expect(sent.status).toBe(200);
    const created = await stream.next('message.created', 0, 5000);
    expect(created.data.message).toMatchObject({ id: sent.body.messageId, body: 'through A' });
    expect(Date.now() - started).toBeLessThan(5000);
    stream.close();
  });

  it('carries typing sent to server A to streams on server B, which expire it by themselves', async () => {
    const location = await createLocation(a);
    const conversation = await createConversation(location);
    const stream = await followOn(b, location);
    const typed = await location.api.post(
      'conversations:live-chat-agent-typing',
      '/conversations/providers/live-chat/typing',
      { locationId: location.locationId, conversationId: conversation.id, visitorId: 'visitor-b', isTyping: true },
    );
    expect(typed.status).toBe(201);
    const typing = await stream.next('typing', 0, 5000);
    expect(typing.data).toMatchObject({ conversationId: conversation.id, visitorId: 'visitor-b', isTyping: true });
    const expired = await stream.next('typing', stream.events.indexOf(typing) + 1, 5000);
    expect(expired.data).toMatchObject({ isTyping: false, expired: true });
    stream.close();
  });

  it('keeps hearing after its LISTEN connection is cut, catching up on what it missed', async () => {
    const location = await createLocation(a);
    const contact = await createContact(location, { phone: '+15550200002' });
    const stream = await followOn(b, location);
    const channel = `switchboard_realtime_${(b.database.config as { schema: string }).schema}`;
    const { rows } = await sql<{ done: boolean }>`
      select pg_terminate_backend(pid) as done from pg_stat_activity where query = ${`LISTEN "${channel}"`}`.execute(
      b.server.store.db,
    );
    expect(rows.length).toBeGreaterThan(0);
    // Written while B may still be reconnecting: B reads the log once it is back.
    await location.api.post('conversations:add-an-inbound-message', '/conversations/messages/inbound', {
      type: 'SMS',
      contactId: contact.id,
      message: 'while B was deaf',
    });
    const created = await stream.next('message.created', 0, 10_000);
    expect(created.data.message.body).toBe('while B was deaf');
    // And it listens again: the next event comes by the bus, as before.
    await location.api.post('conversations:add-an-inbound-message', '/conversations/messages/inbound', {
      type: 'SMS',
      contactId: contact.id,
      message: 'B hears again',
    });
    const next = await stream.next('message.created', stream.events.indexOf(created) + 1, 5000);
    expect(next.data.message.body).toBe('B hears again');
    stream.close();
  });
});
