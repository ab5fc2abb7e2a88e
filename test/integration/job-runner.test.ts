// The job runner under slow receivers: a lease outlives the work it covers (a receiver answering after the lease is
// posted to once, with two servers on PostgreSQL), and one location's hanging receiver does not hold up another's
// sends (jobs run in a pool with a per-location share, not in batches that wait for their slowest).

import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { claimDueJobs } from '../../src/store/repositories/jobs.js';
import { ENGINES } from '../helpers/engines.js';
import { createApp, createContact, createLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { inbound, send, storedMessage, uniquePhone } from '../helpers/messages.js';
import { Receiver } from '../helpers/receiver.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await sleep(50);
  }
  return condition();
}

describe.each(ENGINES)('the job runner on %s', (engine) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function subscribed(harness: Harness, receiver: Receiver) {
    const location = await createLocation(harness);
    const app = await createApp(harness, { webhookUrl: `${receiver.url}/hooks` });
    await harness.admin.put(null, `/admin/v1/locations/${location.locationId}/apps/${app.id}`);
    return { location, app };
  }

  it('posts a webhook once when its receiver answers after the lease ran out, renewing the lease meanwhile', async () => {
    const env = { JOB_LEASE_MS: '1000', WORKER_POLL_MS: '100' };
    const first = await startHarness(engine, { env, keepDatabase: true });
    cleanups.push(async () => {
      await first.close();
      await first.database.drop();
    });
    // On PostgreSQL a second server polls the same jobs, as a second replica would; a SQLite database is one server's.
    if (engine === 'postgres') {
      const second = await startHarness(engine, { env, database: first.database });
      cleanups.push(() => second.close());
    }
    const receiver = await Receiver.start(async () => {
      await sleep(3_000);
      return 200;
    });
    cleanups.push(() => receiver.close());
    const { location, app } = await subscribed(first, receiver);
    const contact = await createContact(location, { phone: uniquePhone() });
    await inbound(location, { type: 'SMS', contactId: contact.id, message: 'slow receiver' });
    const deliveries = () =>
      first.server.store.db.selectFrom('webhook_deliveries').selectAll().where('app_id', '=', app.id).execute();
    expect(await until(async () => (await deliveries()).every((d) => d.status === 'delivered'), 15_000)).toBe(true);
    // Past a few more leases: nothing is posted again.
    await sleep(2_500);
    const ids = receiver.requests.map((request) => request.json.webhookId as string);
    expect(ids.length).toBe((await deliveries()).length);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("sends another location's SMS while one location's receiver never answers", async () => {
    const harness = await startHarness(engine, { env: { OUTBOUND_TIMEOUT_MS: '60000' } });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const hanging = await Receiver.start(async () => {
      await released;
      return 200;
    });
    cleanups.push(async () => {
      release();
      await harness.close();
      await hanging.close();
    });
    const { location: busy } = await subscribed(harness, hanging);
    const busyContact = await createContact(busy, { phone: uniquePhone() });
    for (let n = 0; n < 40; n++) await inbound(busy, { type: 'SMS', contactId: busyContact.id, message: `m${n}` });
    await hanging.waitFor(1, 10_000).catch(() => undefined);
    const other = await createLocation(harness);
    const contact = await createContact(other, { phone: uniquePhone() });
    const sent = await send(other, { type: 'SMS', contactId: contact.id, message: 'not behind them' });
    expect(sent.status).toBe(200);
    const delivered = await until(
      async () => (await storedMessage(harness, sent.body.messageId))?.status === 'delivered',
      10_000,
    );
    // Causality, not timing: the SMS went out while every webhook to the hanging receiver was still unanswered.
    expect(delivered).toBe(true);
    expect(hanging.requests.length).toBeGreaterThan(0);
    const answered = await harness.server.store.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('status', '=', 'delivered')
      .where('location_id', '=', busy.locationId)
      .execute();
    expect(answered).toHaveLength(0);
  });

  it('leaves a job another runner took over to that runner: the first one does not record it finished', async () => {
    const harness = await startHarness(engine, { env: { WORKER_ENABLED: 'false' } });
    const receiver = await Receiver.start(async () => {
      // While the job runs, another runner claims it (this one stalled past its lease).
      await harness.server.store.db.updateTable('jobs').set({ locked_by: 'another-runner' }).execute();
      return 200;
    });
    cleanups.push(async () => {
      await harness.close();
      await receiver.close();
    });
    const { location } = await subscribed(harness, receiver);
    const contact = await createContact(location, { phone: uniquePhone() });
    await inbound(location, { type: 'SMS', contactId: contact.id, message: 'taken over' });
    await harness.server.services.jobs.runDue();
    const jobs = await harness.server.store.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'webhook.deliver')
      .where('location_id', '=', location.locationId)
      .execute();
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs)
      expect({ status: job.status, holder: job.locked_by }).toEqual({ status: 'running', holder: 'another-runner' });
  });

  it.runIf(engine === 'postgres')(
    "takes over at once the jobs of a holder whose lock no session holds, never a live or unlocked holder's",
    async () => {
      const env = { WORKER_ENABLED: 'false' };
      const first = await startHarness(engine, { env, keepDatabase: true });
      const second = await startHarness(engine, { env, database: first.database });
      const receiver = await Receiver.start();
      cleanups.push(async () => {
        await second.close();
        await first.close();
        await first.database.drop();
        await receiver.close();
      });
      const troubles: string[] = [];
      first.server.services.jobs.onLockTrouble = (message) => troubles.push(message);
      // With nothing due, a run only takes the first runner's holder lock.
      expect(await first.server.services.jobs.runDue()).toBe(0);
      const { location } = await subscribed(first, receiver);
      const contact = await createContact(location, { phone: uniquePhone() });
      for (let n = 0; n < 3; n++) await inbound(location, { type: 'SMS', contactId: contact.id, message: `held ${n}` });
      const db = first.server.store.db;
      const jobs = await db.selectFrom('jobs').select('id').where('location_id', '=', location.locationId).execute();
      expect(jobs.length).toBeGreaterThanOrEqual(3);
      // Running, their leases an hour off: one held by the live first runner, one by a runner whose session is gone
      // (a killed server), the rest by a server that takes no lock (an older version, mid rolling upgrade).
      const holders = [first.server.services.jobs.holder, 'lock-a-killed-server', 'an-older-server'];
      await db
        .updateTable('jobs')
        .set({ status: 'running', locked_by: 'an-older-server', locked_until: Date.now() + 3_600_000 })
        .where('location_id', '=', location.locationId)
        .execute();
      for (const [n, holder] of holders.slice(0, 2).entries())
        await db
          .updateTable('jobs')
          .set({ locked_by: holder })
          .where('id', '=', jobs[n]?.id as string)
          .execute();
      const state = async () =>
        (
          await db
            .selectFrom('jobs')
            .select(['id', 'status', 'locked_by'])
            .where('location_id', '=', location.locationId)
            .execute()
        )
          .sort((a, b) => jobs.findIndex((job) => job.id === a.id) - jobs.findIndex((job) => job.id === b.id))
          .map((job) => `${job.status} ${job.locked_by ?? ''}`.trim());
      const older = Array.from({ length: jobs.length - 2 }, () => 'running an-older-server');

      // A claimer that holds no lock of its own claims nothing, even with jobs due.
      const lockless = await claimDueJobs(db, 'postgres', {
        now: Date.now(),
        leaseMs: 30_000,
        limit: 10,
        holder: 'lock-nobody-holds-this',
        lockedHolders: 'lock-',
      });
      expect(lockless).toEqual([]);

      expect(await second.server.services.jobs.runDue()).toBe(1);
      expect(await state()).toEqual([`running ${holders[0]}`, 'done', ...older]);
      expect(receiver.requests).toHaveLength(1);

      // The first runner's lock connection ends while its server lives: it is told, and its job may be taken over.
      await sql`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'
        AND ((classid::int8 << 32) | objid::int8) = hashtextextended(${holders[0]}, 0)`.execute(db);
      expect(await until(async () => troubles.length > 0, 5_000)).toBe(true);
      expect(troubles[0]).toMatch(/lost its holder lock/);
      expect(await second.server.services.jobs.runDue()).toBe(1);
      expect(await state()).toEqual(['done', 'done', ...older]);
      // The first runner takes its lock again on its next run, and is a live holder again.
      expect(await first.server.services.jobs.runDue()).toBe(0);
      const [held] = await sql<{ held: boolean }>`SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
        AND ((classid::int8 << 32) | objid::int8) = hashtextextended(${holders[0]}, 0) AND granted) AS held`
        .execute(db)
        .then((result) => result.rows);
      expect(held?.held).toBe(true);
    },
  );

  it.runIf(engine === 'sqlite')(
    'runs the jobs a crashed server held at once on restart, not after their lease',
    async () => {
      const before = await startHarness(engine, { env: { WORKER_ENABLED: 'false' }, keepDatabase: true });
      const receiver = await Receiver.start();
      cleanups.push(() => receiver.close());
      const { location, app } = await subscribed(before, receiver);
      const contact = await createContact(location, { phone: uniquePhone() });
      await inbound(location, { type: 'SMS', contactId: contact.id, message: 'held at the crash' });
      // What a kill -9 mid-delivery leaves: the jobs running, held by a runner that is gone, their lease far off.
      await before.server.store.db
        .updateTable('jobs')
        .set({ status: 'running', locked_by: 'the-killed-server', locked_until: Date.now() + 3_600_000 })
        .where('location_id', '=', location.locationId)
        .execute();
      await before.close();
      const after = await startHarness(engine, { database: before.database, env: { WORKER_POLL_MS: '100' } });
      cleanups.push(async () => {
        await after.close();
        await before.database.drop();
      });
      const deliveries = () =>
        after.server.store.db.selectFrom('webhook_deliveries').selectAll().where('app_id', '=', app.id).execute();
      expect(await until(async () => (await deliveries()).every((d) => d.status === 'delivered'), 10_000)).toBe(true);
      expect(receiver.requests.length).toBe((await deliveries()).length);
    },
  );
});
