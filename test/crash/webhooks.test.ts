// Webhooks across faults: a receiver that is down and comes back gets every event once it answers (what it must
// deduplicate on is the webhookId: a delivery is at least once), and a delivery whose attempt count fell behind its
// attempt log (a crash between the two writes, before they shared one transaction) is delivered, not wedged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createApp, createContact, createLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { inbound, uniquePhone } from '../helpers/messages.js';
import { Receiver } from '../helpers/receiver.js';

describe.each(ENGINES)('webhooks across faults on %s', (engine) => {
  let harness: Harness;
  const clock = new TestClock();
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    harness = await startHarness(engine, { clock, env: { WORKER_ENABLED: 'false' } });
  });
  afterAll(async () => {
    await harness?.close();
    await Promise.all(receivers.map((receiver) => receiver.close()));
  });

  const runJobs = () => harness.server.services.jobs.runDue();
  async function subscribed(respond: (index: number) => number) {
    const to = await Receiver.start((_request, index) => respond(index));
    receivers.push(to);
    const location = await createLocation(harness);
    const app = await createApp(harness, { webhookUrl: `${to.url}/hooks` });
    await harness.admin.put(null, `/admin/v1/locations/${location.locationId}/apps/${app.id}`);
    return { to, location, app };
  }
  const deliveriesOf = (appId: string) =>
    harness.server.store.db.selectFrom('webhook_deliveries').selectAll().where('app_id', '=', appId).execute();

  it('delivers every event once the receiver is back, each webhookId answered 2xx exactly once', async () => {
    let up = false;
    const { to, location, app } = await subscribed(() => (up ? 200 : 503));
    const contact = await createContact(location, { phone: uniquePhone() });
    for (let n = 0; n < 5; n++) await inbound(location, { type: 'SMS', contactId: contact.id, message: `m${n}` });
    for (let round = 0; round < 3; round++) {
      await runJobs();
      clock.advance(60_000);
    }
    expect(to.requests.length).toBeGreaterThan(0);
    up = true;
    for (let round = 0; round < 4; round++) {
      clock.advance(60 * 60_000);
      await runJobs();
    }
    const deliveries = await deliveriesOf(app.id);
    expect(deliveries.length).toBeGreaterThanOrEqual(5);
    expect(deliveries.every((delivery) => delivery.status === 'delivered')).toBe(true);
    const answered = to.requests.slice(-deliveries.length).map((request) => request.json.webhookId as string);
    // The receiver saw retries of the same webhookIds while down; once up, each exactly once.
    expect(new Set(answered).size).toBe(deliveries.length);
    const all = new Set(to.requests.map((request) => request.json.webhookId as string));
    expect(all.size).toBe(deliveries.length);
  });

  it('delivers a delivery whose attempt count fell behind its attempt log, once', async () => {
    const { to, location, app } = await subscribed(() => 200);
    const contact = await createContact(location, { phone: uniquePhone() });
    await inbound(location, { type: 'SMS', contactId: contact.id, message: 'wedge?' });
    const deliveries = await deliveriesOf(app.id);
    expect(deliveries.length).toBeGreaterThan(0);
    // What a crash between the attempt's insert and the delivery's update left behind: attempt 1 logged, count 0.
    for (const delivery of deliveries) {
      await harness.server.store.db
        .insertInto('webhook_attempts')
        .values({
          delivery_id: delivery.id,
          attempt: 1,
          url: `${to.url}/hooks`,
          status_code: null,
          error: 'the connection was reset',
          duration_ms: 1,
          attempted_at: clock.now(),
        })
        .execute();
    }
    await runJobs();
    const after = await deliveriesOf(app.id);
    expect(after.map((delivery) => delivery.status)).toEqual(after.map(() => 'delivered'));
    expect(after.map((delivery) => delivery.attempts)).toEqual(after.map(() => 2));
    expect(to.requests).toHaveLength(deliveries.length);
  });
});
