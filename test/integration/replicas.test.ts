// Replicas proven together: three `switchboard serve` processes on one PostgreSQL database, one Redis and one S3
// server, as a load balancer would spread clients over them. A scheduled send fires once and a webhook is
// delivered once (each job claimed by one server), a stream on one server sees what another wrote, the rate limit is
// one budget, and a file uploaded through one server downloads through another. Runs when TEST_POSTGRES_URL,
// TEST_REDIS_URL and TEST_S3_URL are all set (.ci/run sets them).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, type Serving, serveCli } from '../helpers/cli.js';
import {
  createApp,
  createContact,
  createConversation,
  createLocation,
  type TestLocation,
} from '../helpers/factories.js';
import { pngBytes, uploadMultipart } from '../helpers/files.js';
import { Client, type Harness, VERSION } from '../helpers/harness.js';
import { send, uniquePhone } from '../helpers/messages.js';
import { Receiver } from '../helpers/receiver.js';
import { S3_URL, s3Env } from '../helpers/s3.js';
import { SseStream } from '../helpers/sse.js';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL;
const REDIS_URL = process.env.TEST_REDIS_URL;
const ADMIN_TOKEN = 'replicas-admin-token-0123456789';
const BURST = 9;

describe.runIf(POSTGRES_URL && REDIS_URL && S3_URL)('three replicas on one PostgreSQL, Redis and S3 server', () => {
  const database = `replicas_${randomBytes(5).toString('hex')}`;
  const servers: Serving[] = [];
  const urls: string[] = [];
  let dir: string;
  let location: TestLocation;

  /** What the factories need of a harness, talking to one of the servers. */
  const through = (url: string) =>
    ({
      admin: new Client(url, { authorization: `Bearer ${ADMIN_TOKEN}` }),
      client: (token: string) => new Client(url, { authorization: `Bearer ${token}`, version: VERSION }),
    }) as unknown as Harness;
  const on = (index: number) => through(urls[index] as string).client(location.token);

  async function admin(sql: string) {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(sql);
    await client.end();
  }

  beforeAll(async () => {
    buildDist();
    await admin(`CREATE DATABASE ${database}`);
    const url = new URL(POSTGRES_URL as string);
    url.pathname = `/${database}`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-replicas-'));
    const shared = {
      ...s3Env(),
      DATABASE_URL: url.toString(),
      REDIS_URL: REDIS_URL as string,
      SWITCHBOARD_ADMIN_TOKEN: ADMIN_TOKEN,
      BOOTSTRAP_DEMO: 'false',
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
      WORKER_POLL_MS: '50',
      RATE_LIMIT_BURST_MAX: String(BURST),
      RATE_LIMIT_INTERVAL_MS: '60000',
      HOST: '127.0.0.1',
      PORT: '0',
    };
    // One at a time: the first migrates the empty database.
    for (let i = 0; i < 3; i++) {
      const server = serveCli({ ...shared, DATA_DIR: path.join(dir, `server-${i}`) }, dir);
      servers.push(server);
      const [, listening] = await server.waitFor(/listening on (http:\/\/\S+)/, 60_000);
      urls.push(listening as string);
    }
    location = await createLocation(through(urls[0] as string));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows a stream on one server the messages written through another', async () => {
    const contact = await createContact({ ...location, api: on(1) }, { phone: uniquePhone() });
    const stream = await SseStream.open(`${urls[0]}/conversations/events/stream`, {
      authorization: `Bearer ${location.token}`,
      version: VERSION,
    });
    await stream.next('ready');
    const written = await on(1).post('conversations:add-an-inbound-message', '/conversations/messages/inbound', {
      type: 'SMS',
      contactId: contact.id,
      message: 'through server B',
    });
    expect(written.status).toBe(200);
    await stream.until((events) => events.some((e) => e.data?.message?.body === 'through server B'), 10_000);
    stream.close();
  });

  it('downloads through one server a file uploaded through another', async () => {
    const conversation = await createConversation({ ...location, api: on(0) });
    const uploaded = await uploadMultipart({ ...location, api: on(0) }, { conversationId: conversation.id }, [
      { name: 'logo.png', bytes: pngBytes(), type: 'image/png' },
    ]);
    expect(uploaded.status).toBe(200);
    const url = new URL(uploaded.body.uploadedFiles['logo.png'] as string);
    const elsewhere = await fetch(`${urls[2]}${url.pathname}`);
    expect(elsewhere.status).toBe(200);
    expect(Buffer.from(await elsewhere.arrayBuffer()).equals(pngBytes())).toBe(true);
  });

  it('counts one rate-limit budget across the servers', async () => {
    // A location of its own, so its token's budget is untouched: 8 requests to each server.
    const fresh = await createLocation(through(urls[0] as string));
    let allowed = 0;
    for (let i = 0; i < 24; i++) {
      const client = through(urls[i % 3] as string).client(fresh.token);
      const response = await client.get(null, `/conversations/search?locationId=${fresh.locationId}`);
      if (response.status !== 429) allowed += 1;
    }
    // One budget: about BURST in all (a little refills meanwhile); a budget per server would allow all 24.
    expect(allowed).toBeGreaterThanOrEqual(BURST);
    expect(allowed).toBeLessThanOrEqual(BURST + 2);
  });

  it('fires a scheduled send once and delivers a webhook once, whichever server claims each', async () => {
    // A fresh location, with its own rate-limit budget.
    const fresh = await createLocation(through(urls[1] as string));
    const receiver = await Receiver.start();
    try {
      const app = await createApp(through(urls[0] as string), { webhookUrl: `${receiver.url}/hooks` });
      const installed = await through(urls[0] as string).admin.put(
        null,
        `/admin/v1/locations/${fresh.locationId}/apps/${app.id}`,
      );
      expect(installed.status).toBe(201);
      const contact = await createContact(fresh, { phone: uniquePhone() });
      const scheduled = await send(fresh, {
        type: 'SMS',
        contactId: contact.id,
        message: 'scheduled once',
        scheduledTimestamp: Math.ceil(Date.now() / 1000) + 2,
      });
      expect(scheduled.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const outbox = await through(urls[2] as string).admin.get(null, `/admin/v1/locations/${fresh.locationId}/outbox`);
      expect(outbox.status).toBe(200);
      const sent = JSON.stringify(outbox.body).split('scheduled once').length - 1;
      expect(sent).toBe(1);
      // Every webhook (the message created, then its status changes) arrived, and each exactly once.
      const hooks = receiver.requests.filter((request) => request.path === '/hooks');
      const ids = hooks.map((hook) => (hook.json as { webhookId: string }).webhookId);
      expect(ids.length).toBeGreaterThan(0);
      expect(new Set(ids).size).toBe(ids.length);
      expect(hooks.some((hook) => JSON.stringify(hook.json).includes('scheduled once'))).toBe(true);
    } finally {
      await receiver.close();
    }
  }, 30_000);
});
