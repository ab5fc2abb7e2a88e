// Jobs across faults, with real server processes: messages scheduled to fire while the server is down (killed with
// kill -9) are each sent once after the restart, two servers on one PostgreSQL database run every job once, and the
// jobs a killed server held run on the other at once (its holder lock went with it), not after their lease.
import { afterAll, describe, expect, it } from 'vitest';
import { crashWorld } from '../helpers/crash.js';
import { ENGINES, type EngineName } from '../helpers/engines.js';
import { createApp, createContact, createLocation, createProvider } from '../helpers/factories.js';
import { inbound, send, uniquePhone } from '../helpers/messages.js';
import { Receiver } from '../helpers/receiver.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const receivers: Receiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

describe.each(ENGINES)('jobs across faults on %s', (engine: EngineName) => {
  const { start } = crashWorld(engine, { OUTBOUND_ALLOWED_HOSTS: '127.0.0.1', WORKER_POLL_MS: '100' });

  async function receiver() {
    const started = await Receiver.start();
    receivers.push(started);
    return started;
  }

  /** How many times each id was posted to the receiver, read from the body's `key`. */
  const tally = (to: Receiver, key: string) => {
    const counts = new Map<string, number>();
    for (const request of to.requests) {
      const id = request.json?.[key] as string;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  };

  it('sends each message scheduled to fire while the server was down once after the restart', async () => {
    const first = await start();
    const gateway = await receiver();
    const location = await createLocation(first.access);
    await createProvider(first.access, location, { isDefault: true, deliveryUrl: `${gateway.url}/deliver` });
    const contact = await createContact(location, { phone: uniquePhone() });
    // Due 3–5 s from now, whole seconds as the API takes them; the server is killed before the first is due.
    const due = Math.ceil(Date.now() / 1000) + 3;
    const scheduled: string[] = [];
    for (let n = 0; n < 6; n++) {
      const answer = await send(location, {
        type: 'SMS',
        contactId: contact.id,
        message: `scheduled ${n}`,
        scheduledTimestamp: due + (n % 3),
      });
      expect(answer.status).toBe(200);
      scheduled.push(answer.body.messageId as string);
    }
    await first.serving.kill();
    expect(gateway.requests).toHaveLength(0);
    // Down past every due time.
    await sleep(Math.max(0, (due + 3) * 1000 - Date.now()));
    const second = await start();
    await expect.poll(() => tally(gateway, 'messageId').size, { timeout: 20_000, interval: 100 }).toBe(6);
    // A few more polls' worth: nothing is sent again.
    await sleep(1_500);
    const counts = tally(gateway, 'messageId');
    expect([...counts.keys()].sort()).toEqual([...scheduled].sort());
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    const api = second.access.client(location.token);
    for (const id of scheduled) {
      const read = await api.get('conversations:get-message', `/conversations/messages/${id}`);
      expect(read.body.message.status).toBe('sent');
    }
  }, 120_000);

  it.runIf(engine === 'postgres')(
    'runs the jobs a killed server held on another server at once, not after their lease, each once',
    async () => {
      const one = await start();
      // Holds every webhook until told otherwise: the jobs are in flight on the first server when it is killed.
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let holding = true;
      const hooks = await receiver();
      hooks.respond = async () => {
        if (holding) await released;
        return 200;
      };
      const location = await createLocation(one.access);
      const app = await createApp(one.access, { webhookUrl: `${hooks.url}/hooks` });
      await one.admin.put(null, `/admin/v1/locations/${location.locationId}/apps/${app.id}`);
      const contact = await createContact(location, { phone: uniquePhone() });
      await inbound(location, { type: 'SMS', contactId: contact.id, message: 'in flight at the crash' });
      await expect.poll(() => hooks.requests.length, { timeout: 10_000, interval: 50 }).toBeGreaterThan(0);
      const two = await start();
      // Every delivery of the event has reached the receiver (and is held there), none answered.
      const deliveries = async () =>
        (await two.admin.get(null, `/admin/v1/apps/${app.id}/webhook-deliveries`)).body.deliveries.length;
      const total = await deliveries();
      await expect.poll(() => tally(hooks, 'webhookId').size, { timeout: 10_000, interval: 50 }).toBe(total);
      const held = [...tally(hooks, 'webhookId').keys()];
      holding = false;
      const killedAt = Date.now();
      await one.serving.kill();
      // JOB_LEASE_MS is 30 s: the second server runs them within a couple of seconds, as soon as the lock is gone
      // (measured 68–80 ms from the kill, at a load average of 3.6).
      await expect
        .poll(() => held.every((id) => tally(hooks, 'webhookId').get(id) === 2), { timeout: 5_000, interval: 50 })
        .toBe(true);
      const tookOverMs = Date.now() - killedAt;
      expect(tookOverMs).toBeLessThan(3_000);
      const pending = async () =>
        (await two.admin.get(null, `/admin/v1/apps/${app.id}/webhook-deliveries`, { query: { status: 'pending' } }))
          .body.deliveries.length;
      await expect.poll(pending, { timeout: 10_000, interval: 100 }).toBe(0);
      // A few more polls' worth: each was posted once after the kill, none again.
      await sleep(1_500);
      const counts = tally(hooks, 'webhookId');
      expect(counts.size).toBe(total);
      expect([...counts.values()].every((count) => count === 2)).toBe(true);
      release();
    },
    120_000,
  );

  it.runIf(engine === 'postgres')(
    'runs every job once with two servers on one database',
    async () => {
      const [one, two] = [await start(), await start()];
      const hooks = await receiver();
      const gateway = await receiver();
      const location = await createLocation(one.access);
      const app = await createApp(one.access, { webhookUrl: `${hooks.url}/hooks` });
      await one.admin.put(null, `/admin/v1/locations/${location.locationId}/apps/${app.id}`);
      await createProvider(one.access, location, { isDefault: true, deliveryUrl: `${gateway.url}/deliver` });
      const contacts = await Promise.all(
        Array.from({ length: 4 }, () => createContact(location, { phone: uniquePhone() })),
      );
      // Writes spread over both servers; each server's runner races the other's for every job.
      const onTwo = { ...location, api: two.access.client(location.token) };
      const sent: string[] = [];
      await Promise.all(
        contacts.map(async (contact, c) => {
          for (let n = 0; n < 10; n++) {
            const via = (c + n) % 2 === 0 ? location : onTwo;
            await inbound(via, { type: 'SMS', contactId: contact.id, message: `in ${c}.${n}` });
            const out = await send(via, { type: 'SMS', contactId: contact.id, message: `out ${c}.${n}` });
            sent.push(out.body.messageId as string);
          }
        }),
      );
      await expect.poll(() => tally(gateway, 'messageId').size, { timeout: 30_000, interval: 100 }).toBe(sent.length);
      const pending = async () =>
        (await one.admin.get(null, `/admin/v1/apps/${app.id}/webhook-deliveries`, { query: { status: 'pending' } }))
          .body.deliveries.length;
      await expect.poll(pending, { timeout: 30_000, interval: 200 }).toBe(0);
      await sleep(2_000);
      expect([...tally(gateway, 'messageId').values()].every((count) => count === 1)).toBe(true);
      const hookCounts = tally(hooks, 'webhookId');
      expect(hookCounts.size).toBeGreaterThanOrEqual(80);
      expect([...hookCounts.values()].every((count) => count === 1)).toBe(true);
    },
    120_000,
  );
});
