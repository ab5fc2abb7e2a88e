// A location restored over itself (POST /admin/v1/snapshots?replace=true) keeps numbering its events after the ones
// it had: a client resuming with a Last-Event-ID from before the restore is told to resync, however many events
// came after, rather than being served the restored location's events as if they followed its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { loggedEvents } from '../helpers/event-log.js';
import { createContact, createLocation, issueToken, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness, VERSION } from '../helpers/harness.js';
import { inbound, uniquePhone } from '../helpers/messages.js';
import { loadSnapshot, saveSnapshot } from '../helpers/snapshots.js';
import { SseStream } from '../helpers/sse.js';

describe.each(ENGINES)("a restored location's event stream (%s)", (engine) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(engine);
  });
  afterAll(async () => harness?.close());

  const head = async (location: TestLocation) => (await loggedEvents(harness, location.locationId)).at(-1)?.seq ?? 0;

  it('tells a client resuming from before a restore to resync, and numbers new events after the old ones', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: uniquePhone() });
    const saved = await saveSnapshot(harness, location.locationId);
    expect((await inbound(location, { type: 'SMS', contactId: contact.id, message: 'before' })).status).toBe(200);
    const lastSeen = await head(location);
    expect(lastSeen).toBeGreaterThan(0);

    const restored = await loadSnapshot(harness, saved.bytes, '?replace=true');
    expect(restored.status, JSON.stringify(restored.body)).toBe(201);
    // As many events again as the client had seen: numbering that started over would now pass its Last-Event-ID.
    for (let i = 0; i <= lastSeen; i++) {
      expect((await inbound(location, { type: 'SMS', contactId: contact.id, message: `after ${i}` })).status).toBe(200);
    }
    const after = await loggedEvents(harness, location.locationId);
    expect(Math.min(...after.map((event) => event.seq))).toBeGreaterThan(lastSeen + 1);

    const token = await issueToken(harness, location.locationId, ['conversations.readonly']);
    const query = `?access_token=${token}&version=${VERSION}&lastEventId=${lastSeen}&follow=false`;
    const resumed = await SseStream.open(`${harness.baseUrl}/conversations/events/stream${query}`);
    await resumed.end();
    const [first, ...rest] = resumed.events.filter((event) => event.event !== 'ready');
    expect(first).toMatchObject({ event: 'resync', data: { from: lastSeen + 1 } });
    expect(rest.map((event) => Number(event.id))).toEqual(after.map((event) => event.seq));
  });
});
