// Prometheus metrics at /metrics (docs/operations.md#metrics), scraped after real traffic and read strictly: routes
// labelled by their pattern, counts that grow, the job queue read at scrape time, outcomes of jobs, deliveries and
// webhooks, the database's connections, and METRICS_TOKEN.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createApp, createContact, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { inbound, send, uniquePhone } from '../helpers/messages.js';
import { parseExposition, type Scrape } from '../helpers/prometheus.js';
import { Receiver } from '../helpers/receiver.js';

const METRICS_TOKEN = 'metrics-token-0123456789';

describe.each(ENGINES)('metrics on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  let receiver: Receiver;
  const clock = new TestClock();

  beforeAll(async () => {
    receiver = await Receiver.start();
    harness = await startHarness(engine, { clock, env: { WORKER_ENABLED: 'false', METRICS_TOKEN } });
    location = await createLocation(harness);
    const app = await createApp(harness, { webhookUrl: `${receiver.url}/hooks` });
    const installed = await harness.admin.put(null, `/admin/v1/locations/${location.locationId}/apps/${app.id}`);
    expect(installed.status).toBe(201);
  });
  afterAll(async () => {
    await harness?.close();
    await receiver?.close();
  });

  async function scrape(): Promise<Scrape> {
    const response = await fetch(new URL('/metrics', harness.baseUrl), {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(await response.text());
  }
  const requests = (result: Scrape, route: string, status: string) =>
    result.value('switchboard_http_requests_total', { route, status_code: status }) ?? 0;

  it('counts requests by route pattern and status, with their latency', async () => {
    const missing = 'conv-does-not-exist-1';
    const before = await scrape();
    for (const id of [missing, 'conv-does-not-exist-2']) {
      const response = await location.api.get('conversations:get-conversation', `/conversations/${id}`, { raw: true });
      expect(response.status).toBe(404);
    }
    expect((await location.api.get(null, '/no/such/route', { raw: true })).status).toBe(404);
    const after = await scrape();

    const route = '/conversations/:conversationId';
    expect(requests(after, route, '404') - requests(before, route, '404')).toBe(2);
    expect(requests(after, 'unmatched', '404') - requests(before, 'unmatched', '404')).toBe(1);
    // The raw URL never becomes a label: an id in it would make a series per id.
    const labelValues = after.samples.flatMap((sample) => Object.values(sample.labels));
    expect(labelValues.some((value) => value.includes(missing) || value.includes('/no/such'))).toBe(false);
    const histogram = { route, status_code: '404', method: 'GET' };
    expect(after.types.get('switchboard_http_request_duration_seconds')).toBe('histogram');
    expect(after.value('switchboard_http_request_duration_seconds_count', histogram)).toBe(
      requests(after, route, '404'),
    );
    expect(after.value('switchboard_http_request_duration_seconds_bucket', { ...histogram, le: '+Inf' })).toBe(
      requests(after, route, '404'),
    );
    // Node's own metrics come along.
    expect(after.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('reads the job queue at scrape time, and counts what became of jobs, deliveries and webhooks', async () => {
    const contact = await createContact(location, { phone: uniquePhone() });
    expect((await send(location, { type: 'SMS', contactId: contact.id, message: 'Hello' })).status).toBe(200);
    expect((await inbound(location, { type: 'SMS', contactId: contact.id, message: 'Hi' })).status).toBe(200);
    clock.advance(5_000);
    const queued = await scrape();
    expect(queued.value('switchboard_jobs_due', { kind: 'message.deliver' })).toBe(1);
    expect(queued.value('switchboard_jobs_due', { kind: 'webhook.deliver' })).toBeGreaterThanOrEqual(2);
    expect(queued.value('switchboard_jobs_oldest_due_age_seconds', { kind: 'message.deliver' })).toBe(5);
    expect(queued.value('switchboard_jobs_pending', { kind: 'message.deliver' })).toBe(1);

    await harness.server.services.jobs.runDue();
    await harness.server.services.jobs.runDue();
    const ran = await scrape();
    expect(ran.value('switchboard_jobs_due', { kind: 'message.deliver' })).toBe(0);
    expect(ran.value('switchboard_jobs_due', { kind: 'webhook.deliver' })).toBe(0);
    expect(ran.value('switchboard_jobs_oldest_due_age_seconds', { kind: 'webhook.deliver' })).toBe(0);
    const delivered = (result: Scrape, name: string, labels: Record<string, string>) => result.value(name, labels) ?? 0;
    expect(delivered(ran, 'switchboard_job_runs_total', { kind: 'message.deliver', outcome: 'done' })).toBe(1);
    const deliveries = ran.all('switchboard_message_deliveries_total').reduce((sum, sample) => sum + sample.value, 0);
    expect(deliveries).toBe(1);
    const webhooks = delivered(ran, 'switchboard_webhook_attempts_total', { outcome: 'delivered' });
    expect(webhooks).toBe(receiver.requests.length);
    expect(webhooks).toBeGreaterThanOrEqual(2);
  });

  it('shows the database connections and the realtime streams', async () => {
    const result = await scrape();
    if (engine === 'postgres') {
      expect(result.value('switchboard_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
      const idle = result.value('switchboard_db_pool_connections', { state: 'idle' });
      expect(idle).toBeLessThanOrEqual(result.value('switchboard_db_pool_connections', { state: 'total' }) ?? 0);
      expect(result.value('switchboard_db_pool_connections', { state: 'waiting' })).toBeGreaterThanOrEqual(0);
    } else {
      expect(result.value('switchboard_sqlite_units_queued')).toBeGreaterThanOrEqual(0);
      expect(result.all('switchboard_db_pool_connections')).toEqual([]);
    }
    expect(result.value('switchboard_realtime_streams')).toBe(0);
    expect(result.value('switchboard_realtime_stream_lag_events_max')).toBe(0);
  });

  it('asks for METRICS_TOKEN, in the API’s error shape, and no Version header', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Bearer ${METRICS_TOKEN}x`]) {
      const response = await harness.admin.request('GET', null, '/metrics', { headers: { authorization } });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({
        statusCode: 401,
        message: 'Invalid metrics token',
        traceId: expect.any(String),
      });
    }
  });
});
