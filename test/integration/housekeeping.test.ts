// Housekeeping (docs/operations.md#retention): finished jobs and ended webhook deliveries are deleted once older than
// their retention, with the deliveries' attempts; pending work and recent history stay. The clock is the test's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createApp, createContact, createLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { inbound, send, uniquePhone } from '../helpers/messages.js';
import { Receiver } from '../helpers/receiver.js';

const HOUR = 3_600_000;

describe.each(ENGINES)('housekeeping on %s', (engine) => {
  let harness: Harness;
  let receiver: Receiver;
  const clock = new TestClock();

  beforeAll(async () => {
    receiver = await Receiver.start();
    harness = await startHarness(engine, {
      clock,
      env: { WORKER_ENABLED: 'false', JOB_RETENTION_HOURS: '24', WEBHOOK_LOG_RETENTION_HOURS: '48' },
    });
  });
  afterAll(async () => {
    await harness?.close();
    await receiver?.close();
  });

  const count = async (table: 'jobs' | 'webhook_deliveries' | 'webhook_attempts') =>
    Number(
      (
        await harness.server.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const jobsByStatus = async () =>
    Object.fromEntries(
      (
        await harness.server.store.db
          .selectFrom('jobs')
          .select(['status', (eb) => eb.fn.countAll().as('n')])
          .groupBy('status')
          .execute()
      ).map((row) => [row.status, Number(row.n)]),
    );
  const sweep = () => harness.server.services.housekeeping.sweep();

  it('keeps history for its retention, then deletes it, and never touches pending work', async () => {
    const location = await createLocation(harness);
    const app = await createApp(harness, { webhookUrl: `${receiver.url}/hooks` });
    const installed = await harness.admin.put(null, `/admin/v1/locations/${location.locationId}/apps/${app.id}`);
    expect(installed.status).toBe(201);
    const contact = await createContact(location, { phone: uniquePhone() });
    await inbound(location, { type: 'SMS', contactId: contact.id, message: 'Hi' });
    const scheduled = await send(location, {
      type: 'SMS',
      contactId: contact.id,
      message: 'Later',
      scheduledTimestamp: Math.floor((clock.now() + 30 * 24 * HOUR) / 1000),
    });
    expect(scheduled.status).toBe(200);
    await harness.server.services.jobs.runDue();

    const delivered = await harness.admin.get(null, `/admin/v1/apps/${app.id}/webhook-deliveries`);
    expect(delivered.status).toBe(200);
    const deliveries = delivered.body.deliveries as Array<{ id: string; status: string }>;
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((delivery) => delivery.status === 'delivered')).toBe(true);
    const before = await jobsByStatus();
    expect(before.done).toBe(deliveries.length);
    expect(before.pending).toBeGreaterThan(0);
    const attempts = await count('webhook_attempts');
    expect(attempts).toBe(deliveries.length);

    // Within both retentions: nothing goes.
    expect(await sweep()).toEqual({ jobs: 0, webhookDeliveries: 0 });
    expect(await jobsByStatus()).toEqual(before);

    // Past the jobs' retention, within the webhook log's: the finished jobs go, the log stays.
    clock.advance(25 * HOUR);
    expect(await sweep()).toEqual({ jobs: before.done, webhookDeliveries: 0 });
    expect(await jobsByStatus()).toEqual({ pending: before.pending });
    expect(await count('webhook_deliveries')).toBe(deliveries.length);

    // Past the log's too: each delivery goes with its attempts, and the API no longer finds it.
    clock.advance(24 * HOUR);
    expect(await sweep()).toEqual({ jobs: 0, webhookDeliveries: deliveries.length });
    expect(await count('webhook_deliveries')).toBe(0);
    expect(await count('webhook_attempts')).toBe(0);
    const gone = await harness.admin.get(null, `/admin/v1/apps/${app.id}/webhook-deliveries/${deliveries[0]?.id}`);
    expect(gone.status).toBe(404);
    expect(await jobsByStatus()).toEqual({ pending: before.pending });
  });

  it('deletes in batches until nothing old is left', async () => {
    const db = harness.server.store.db;
    const old = clock.now() - 48 * HOUR;
    const rows = Array.from({ length: 1_234 }, (_, index) => ({
      id: `old-job-${index}`,
      kind: 'webhook.deliver',
      location_id: 'somewhere',
      subject_id: null,
      payload: '{}',
      status: ['done', 'dead', 'cancelled'][index % 3] as string,
      run_at: old,
      attempts: 1,
      max_attempts: 12,
      locked_until: null,
      locked_by: null,
      last_error: null,
      created_at: old,
      updated_at: old,
    }));
    for (let start = 0; start < rows.length; start += 200) {
      await db
        .insertInto('jobs')
        .values(rows.slice(start, start + 200))
        .execute();
    }
    const pendingBefore = (await jobsByStatus()).pending;
    expect(await sweep()).toEqual({ jobs: 1_234, webhookDeliveries: 0 });
    expect(await jobsByStatus()).toEqual({ pending: pendingBefore });
  });
});
