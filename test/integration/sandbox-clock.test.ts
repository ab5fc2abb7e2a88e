// The sandbox's virtual clock, used as a CI suite would: schedule, advance an hour, assert on the next line; retries
// that come due on the way run in order; the clock never goes back; a real clock refuses to move.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createApp, createContact, createLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { inbound, send, uniquePhone } from '../helpers/messages.js';
import { Receiver } from '../helpers/receiver.js';

const START = '2030-03-01T09:00:00.000Z';
const HOUR = 3_600_000;

describe.each(ENGINES)('virtual clock (%s)', (engine) => {
  let harness: Harness;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    harness = await startHarness(engine, { env: { CLOCK: 'virtual', CLOCK_START: START } });
  });
  afterAll(async () => {
    await harness?.close();
    await Promise.all(receivers.map((receiver) => receiver.close()));
  });

  const clock = () => harness.admin.get(null, '/admin/v1/clock');
  const advance = (body: Record<string, unknown>) => harness.admin.post(null, '/admin/v1/clock', body);

  it('starts at CLOCK_START and dates new records by it', async () => {
    const now = await clock();
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ mode: 'virtual' });
    expect(Date.parse(now.body.now)).toBeGreaterThanOrEqual(Date.parse(START));
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: uniquePhone() });
    const received = await inbound(location, { type: 'SMS', contactId: contact.id, message: 'When?' });
    expect(received.body.dateAdded).toBe(now.body.now);
  });

  it('delivers a message scheduled an hour ahead when the clock is moved past it, before answering', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: uniquePhone() });
    const at = Date.parse((await clock()).body.now);
    const scheduled = await send(location, {
      type: 'SMS',
      contactId: contact.id,
      message: 'in an hour',
      scheduledTimestamp: Math.floor(at / 1000) + 3600,
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
    const status = async () =>
      (await location.api.get('conversations:get-message', `/conversations/messages/${scheduled.body.messageId}`)).body
        .message.status;

    const early = await advance({ advanceMs: HOUR - 60_000 });
    expect(early.status, JSON.stringify(early.body)).toBe(200);
    expect(await status()).toBe('scheduled');

    const moved = await advance({ advanceMs: 60_000 });
    expect(moved.body).toMatchObject({ mode: 'virtual', now: new Date(at + HOUR).toISOString() });
    expect(await status()).toBe('delivered');
    const message = await location.api.get(
      'conversations:get-message',
      `/conversations/messages/${scheduled.body.messageId}`,
    );
    expect(message.body.message.dateAdded).toBe(new Date(at + HOUR).toISOString());
  });

  it('runs webhook retries that fall due on the way, with the clock at their due time', async () => {
    let refused = 0;
    const receiver = await Receiver.start((request) =>
      request.json?.type === 'InboundMessage' && refused++ < 2 ? 503 : 200,
    );
    receivers.push(receiver);
    const location = await createLocation(harness);
    const app = await createApp(harness, { webhookUrl: `${receiver.url}/hooks` });
    expect((await harness.admin.put(null, `/admin/v1/locations/${location.locationId}/apps/${app.id}`)).status).toBe(
      201,
    );
    const contact = await createContact(location, { phone: uniquePhone() });
    await inbound(location, { type: 'SMS', contactId: contact.id, message: 'retry me' });
    await advance({ advanceMs: 0 });
    const first = receiver.ofType('InboundMessage').length;
    expect(first).toBe(1);
    // Backoff is seconds to minutes: an hour covers the retries, each run at its own due time.
    await advance({ advanceMs: HOUR });
    const deliveries = await harness.admin.get(null, `/admin/v1/apps/${app.id}/webhook-deliveries`);
    const inboundDelivery = deliveries.body.deliveries.find((d: { type: string }) => d.type === 'InboundMessage');
    expect(inboundDelivery.status).toBe('delivered');
    const log = await harness.admin.get(null, `/admin/v1/apps/${app.id}/webhook-deliveries/${inboundDelivery.id}`);
    const attempts = log.body.delivery.attemptLog as { dateAttempted: string; statusCode: number }[];
    expect(attempts.map((a) => a.statusCode)).toEqual([503, 503, 200]);
    const [first1, second, third] = attempts.map((a) => Date.parse(a.dateAttempted)) as [number, number, number];
    expect(second - first1).toBeGreaterThanOrEqual(5_000);
    expect(third - second).toBeGreaterThanOrEqual(10_000);
  });

  it('refuses to move back, or a move that names neither or both', async () => {
    const now = (await clock()).body.now as string;
    const back = await advance({ at: new Date(Date.parse(now) - 1000).toISOString() });
    expect(back.status).toBe(422);
    expect(back.body.message.join(' ')).toContain('at');
    expect((await advance({ advanceMs: -1 })).status).toBe(422);
    expect((await advance({})).status).toBe(422);
    expect((await advance({ advanceMs: 1, at: now })).status).toBe(422);
    expect((await advance({ at: 'tomorrow' })).status).toBe(422);
    const to = await advance({ at: new Date(Date.parse(now) + 5000).toISOString() });
    expect(to.status).toBe(200);
    expect(to.body.now).toBe(new Date(Date.parse(now) + 5000).toISOString());
  });
});

describe('real clock', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness('sqlite');
  });
  afterAll(async () => harness?.close());

  it('reads the time and refuses to move it, saying how to turn the virtual clock on', async () => {
    const read = await harness.admin.get(null, '/admin/v1/clock');
    expect(read.body.mode).toBe('real');
    expect(Math.abs(Date.parse(read.body.now) - Date.now())).toBeLessThan(5_000);
    const moved = await harness.admin.post(null, '/admin/v1/clock', { advanceMs: 1000 });
    expect(moved.status).toBe(409);
    expect(moved.body.message).toContain('CLOCK=virtual');
  });
});
