// Durable, then heard (SQLite group commit): while the fsync that covers a write is held, the write is committed
// (a read sees it) but nothing is heard of it: no answer, no realtime event, no webhook, no job run. Once the fsync
// finishes, all of them follow.
import { afterEach, describe, expect, it } from 'vitest';
import { fsyncFile } from '../../src/store/wal-sync.js';
import { createApp, createContact, createLocation, issueToken } from '../helpers/factories.js';
import { type Harness, startHarness, VERSION } from '../helpers/harness.js';
import { inbound } from '../helpers/messages.js';
import { Receiver } from '../helpers/receiver.js';
import { SseStream } from '../helpers/sse.js';

/** The real fsync, held at the test's word once `holding` is on. */
function heldSync() {
  const held: (() => void)[] = [];
  return {
    holding: false,
    held,
    async sync(file: string) {
      if (this.holding) await new Promise<void>((resolve) => held.push(resolve));
      await fsyncFile(file);
    },
    release() {
      this.holding = false;
      for (const go of held.splice(0)) go();
    },
  };
}

const settledWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

describe('durable, then heard (sqlite group commit)', () => {
  let harness: Harness | undefined;
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await harness?.close();
    await receiver?.close();
    harness = receiver = undefined;
  });

  it('lets no answer, realtime event, webhook or job out before the fsync that covers the write', async () => {
    const sync = heldSync();
    // The job runner and the realtime poll run on their own timers, as in production: neither may get ahead.
    harness = await startHarness('sqlite', {
      env: { WORKER_POLL_MS: '50', REALTIME_POLL_MS: '50' },
      storeOptions: { syncFile: (file) => sync.sync(file) },
    });
    receiver = await Receiver.start();
    const location = await createLocation(harness);
    const app = await createApp(harness, { webhookUrl: `${receiver.url}/hooks` });
    expect((await harness.admin.put(null, `/admin/v1/locations/${location.locationId}/apps/${app.id}`)).status).toBe(
      201,
    );
    const contact = await createContact(location);
    const token = await issueToken(harness, location.locationId, [
      'conversations.readonly',
      'conversations/message.readonly',
    ]);
    const stream = await SseStream.open(`${harness.baseUrl}/conversations/events/stream`, {
      authorization: `Bearer ${token}`,
      version: VERSION,
    });
    await stream.next('ready');
    const webhooksBefore = receiver.requests.length;

    sync.holding = true;
    const write = inbound(location, { type: 'SMS', contactId: contact.id, message: 'not yet heard' });
    const db = harness.server.store.db;
    // Committed: the message and the webhook's job are in the database.
    await expect
      .poll(
        async () =>
          (await db.selectFrom('messages').select('body').where('location_id', '=', location.locationId).execute())
            .length,
      )
      .toBe(1);
    await expect
      .poll(
        async () =>
          (await db.selectFrom('jobs').select('id').where('location_id', '=', location.locationId).execute()).length,
      )
      .toBeGreaterThan(0);
    // Several poll periods of the runner and of the stream pass: nothing is heard.
    expect(await settledWithin(write, 500)).toBe(false);
    expect(stream.stored).toEqual([]);
    expect(receiver.requests.length).toBe(webhooksBefore);
    expect(sync.held.length).toBeGreaterThan(0);

    sync.release();
    const answered = await write;
    expect(answered.status).toBe(200);
    const events = await stream.until((all) => all.some((e) => e.event === 'message.created'));
    expect(events.some((e) => e.event === 'message.created' && e.data.message?.body === 'not yet heard')).toBe(true);
    await expect.poll(() => receiver?.requests.length, { timeout: 10_000 }).toBeGreaterThan(webhooksBefore);
    stream.close();
  });
});
