// kill -9 of a real server process in the middle of a write load, then a restart on the same database: every write
// that was acknowledged is there, and no event number a client saw is reused for another event, so a client that
// resumes the stream with Last-Event-ID misses nothing.
import { describe, expect, it } from 'vitest';
import { crashWorld } from '../helpers/crash.js';
import { ENGINES, type EngineName } from '../helpers/engines.js';
import { createContact, createLocation, issueToken, type TestLocation } from '../helpers/factories.js';
import { VERSION } from '../helpers/harness.js';
import { type SseEvent, SseStream } from '../helpers/sse.js';

const STREAM = '/conversations/events/stream';
const WRITERS = 8;

describe.each(ENGINES)('a crash mid-load on %s', (engine: EngineName) => {
  const { start } = crashWorld(engine);

  async function stream(base: string, token: string, headers: Record<string, string> = {}, query = '') {
    const opened = await SseStream.open(`${base}${STREAM}${query}`, {
      authorization: `Bearer ${token}`,
      version: VERSION,
      ...headers,
    });
    await opened.next('ready');
    return opened;
  }

  const messageIdOf = (event: SseEvent) => event.data?.message?.id as string | undefined;
  /** What an event is, independent of its number: its type and the subject it describes. */
  const identity = (event: SseEvent) => `${event.event}:${messageIdOf(event) ?? event.data?.conversation?.id}`;

  it('keeps every acknowledged write and never reuses an event number a client has seen', async () => {
    const first = await start();
    const location: TestLocation = await createLocation(first.access);
    const reader = await issueToken(first.access, location.locationId, [
      'conversations.readonly',
      'conversations/message.readonly',
    ]);
    const base = first.admin.baseUrl;
    const contacts = await Promise.all(Array.from({ length: WRITERS }, () => createContact(location)));
    const live = await stream(base, reader);

    // Writers post inbound messages as fast as they are answered; the process is killed while they are in flight.
    const acknowledged = new Map<string, string>();
    let stopping = false;
    const writer = async (contactId: string, w: number) => {
      for (let i = 0; !stopping; i++) {
        const message = `writer ${w} message ${i}`;
        try {
          const answer = await location.api.post(
            'conversations:add-an-inbound-message',
            '/conversations/messages/inbound',
            { type: 'SMS', contactId, message },
            { raw: true },
          );
          if (answer.status === 200) acknowledged.set(answer.body.messageId as string, message);
        } catch {
          return; // the server is gone: this write was never acknowledged
        }
      }
    };
    const writers = contacts.map((contact, w) => writer(contact.id, w));
    await expect.poll(() => acknowledged.size, { timeout: 20_000, interval: 20 }).toBeGreaterThan(40);
    await first.serving.kill();
    stopping = true;
    await Promise.all(writers);
    await live.end().catch(() => undefined);
    const seenBeforeCrash = live.stored;
    expect(seenBeforeCrash.length).toBeGreaterThan(0);

    const second = await start();
    const after = second.admin.baseUrl;
    const api = second.access.client(location.token);
    // Every acknowledged write survived, as it was acknowledged.
    for (const [messageId, body] of acknowledged) {
      const read = await api.get('conversations:get-message', `/conversations/messages/${messageId}`);
      expect(read.status, `acknowledged message ${messageId} is gone`).toBe(200);
      expect(read.body.message.body).toBe(body);
    }

    // The log after the restart holds every event the client saw before it, under the same number.
    const replay = await stream(after, reader, {}, '?lastEventId=0&follow=false');
    await replay.end();
    const byNumber = new Map(replay.stored.map((event) => [event.id, identity(event)]));
    for (const event of seenBeforeCrash) expect(byNumber.get(event.id), `event ${event.id}`).toBe(identity(event));

    // A client resuming from the last event it saw gets everything after it, new writes included, without a gap.
    const lastSeen = seenBeforeCrash.at(-1)?.id as string;
    const resumed = await stream(after, reader, { 'last-event-id': lastSeen });
    const fresh = await api.post('conversations:add-an-inbound-message', '/conversations/messages/inbound', {
      type: 'SMS',
      contactId: contacts[0]?.id,
      message: 'after the restart',
    });
    expect(fresh.status).toBe(200);
    await resumed.until((events) => events.some((event) => messageIdOf(event) === fresh.body.messageId));
    resumed.close();
    const numbers = resumed.stored.map((event) => Number(event.id));
    expect(numbers[0]).toBe(Number(lastSeen) + 1);
    expect(numbers).toEqual(numbers.map((_, i) => Number(lastSeen) + 1 + i));
    // Every acknowledged message was announced, before the crash or in what the resumed client got.
    const announced = new Set(
      [...seenBeforeCrash, ...resumed.stored].filter((e) => e.event === 'message.created').map(messageIdOf),
    );
    for (const messageId of acknowledged.keys()) expect(announced.has(messageId), messageId).toBe(true);
  }, 120_000);
});
