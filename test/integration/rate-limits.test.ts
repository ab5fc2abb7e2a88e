// HighLevel's rate limits (docs/behaviour.md#rate-limits): a burst window and a daily budget per app (or private token)
// per location, the five X-RateLimit-* headers on every API answer, 429 in the error envelope, per-location settings,
// and (with TEST_REDIS_URL) one budget shared by several servers through Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createApp, createLocation, issueToken, type TestLocation } from '../helpers/factories.js';
import { type Harness, type Response, startHarness } from '../helpers/harness.js';

const REDIS_URL = process.env.TEST_REDIS_URL;
const HEADERS = [
  'x-ratelimit-max',
  'x-ratelimit-remaining',
  'x-ratelimit-interval-milliseconds',
  'x-ratelimit-limit-daily',
  'x-ratelimit-daily-remaining',
] as const;

function limitHeaders(response: Response): Record<string, number> | null {
  if (!response.headers.has('x-ratelimit-max')) return null;
  return Object.fromEntries(
    HEADERS.map((name) => [name.slice('x-ratelimit-'.length), Number(response.headers.get(name))]),
  );
}

/** A search, left unvalidated: the spec documents no 429. */
const search = (location: TestLocation, token = location.token, harness?: Harness) =>
  (harness ? harness.client(token) : location.api.withHeaders({ authorization: `Bearer ${token}` })).get(
    null,
    '/conversations/search',
    { query: { locationId: location.locationId } },
  );

async function limit(harness: Harness, location: TestLocation, body: Record<string, unknown>) {
  const response = await harness.admin.put(null, `/admin/v1/locations/${location.locationId}/rate-limit`, body);
  if (response.status !== 200) throw new Error(`rate limit: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.rateLimit;
}

describe.each(ENGINES)('rate limits in memory on %s', (engine) => {
  const clock = new TestClock();
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(engine, { clock, env: { RATE_LIMIT_ENABLED: 'true' } });
  });
  afterAll(() => harness?.close());

  it('sends HighLevel’s five headers with HighLevel’s defaults, counting down', async () => {
    const location = await createLocation(harness);
    const first = await search(location);
    expect(limitHeaders(first)).toEqual({
      max: 100,
      remaining: 99,
      'interval-milliseconds': 10_000,
      'limit-daily': 200_000,
      'daily-remaining': 199_999,
    });
    expect(limitHeaders(await search(location))).toMatchObject({ remaining: 98, 'daily-remaining': 199_998 });
  });

  it('sends them on errors past the token too, and only counts requests that got past validation', async () => {
    const location = await createLocation(harness);
    const missing = await location.api.get('conversations:get-conversation', '/conversations/nope');
    expect(missing.status).toBe(404);
    expect(limitHeaders(missing)).toMatchObject({ remaining: 99 });
    const other = await createLocation(harness);
    const foreign = await location.api.get('conversations:search-conversation', '/conversations/search', {
      query: { locationId: other.locationId },
    });
    expect(foreign.status).toBe(403);
    expect(limitHeaders(foreign)).toMatchObject({ remaining: 99 });
    const invalid = await location.api.get('conversations:search-conversation', '/conversations/search', {
      query: { locationId: location.locationId, limit: 'many' },
    });
    expect(invalid.status).toBe(422);
    expect(limitHeaders(invalid)).toMatchObject({ remaining: 99 });
    // No budget is known for a refused token, nor for the admin API.
    expect(limitHeaders(await search(location, 'pit-00000000-0000-0000-0000-000000000000'))).toBeNull();
    expect(limitHeaders(await harness.admin.get(null, `/admin/v1/locations/${location.locationId}`))).toBeNull();
  });

  it('refuses the burst over the limit with a 429 in the error envelope, until the next window', async () => {
    const location = await createLocation(harness);
    expect(await limit(harness, location, { burstMax: 3, intervalMs: 1000 })).toMatchObject({
      enabled: true,
      burstMax: 3,
      intervalMs: 1000,
      dailyMax: 200_000,
      custom: true,
    });
    clock.set(Math.ceil(clock.now() / 1000) * 1000);
    for (let i = 0; i < 3; i += 1) expect((await search(location)).status).toBe(200);
    const refused = await search(location);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ statusCode: 429, message: 'Too Many Requests', error: 'Too Many Requests' });
    expect(refused.body.traceId).toBe(refused.headers.get('x-trace-id'));
    expect(limitHeaders(refused)).toMatchObject({ max: 3, remaining: 0, 'interval-milliseconds': 1000 });
    expect(refused.headers.get('retry-after')).toBe('1');
    // A refused request is not counted against the day.
    expect(limitHeaders(refused)).toMatchObject({ 'daily-remaining': 199_997 });
    clock.advance(1000);
    expect(limitHeaders(await search(location))).toMatchObject({ remaining: 2 });
  });

  it('refuses past the daily budget until the next UTC day', async () => {
    const location = await createLocation(harness);
    await limit(harness, location, { dailyMax: 2 });
    expect((await search(location)).status).toBe(200);
    expect((await search(location)).status).toBe(200);
    const raw = await search(location);
    expect(raw.status).toBe(429);
    expect(limitHeaders(raw)).toMatchObject({ 'limit-daily': 2, 'daily-remaining': 0, remaining: 98 });
    const midnight = (Math.floor(clock.now() / 86_400_000) + 1) * 86_400_000;
    expect(Number(raw.headers.get('retry-after'))).toBe(Math.ceil((midnight - clock.now()) / 1000));
    clock.set(midnight);
    expect((await search(location)).status).toBe(200);
  });

  it('keeps one budget per app (or per private token without one) per location', async () => {
    const location = await createLocation(harness);
    await limit(harness, location, { burstMax: 2, intervalMs: 60_000 });
    clock.set(Math.ceil(clock.now() / 60_000) * 60_000);
    const app = await createApp(harness);
    const issue = async (body: Record<string, unknown>) =>
      (await harness.admin.post(null, `/admin/v1/locations/${location.locationId}/tokens`, body)).body.token as string;
    const appToken = await issue({ appId: app.id });
    const sameApp = await issue({ appId: app.id });
    const plain = await issueToken(harness, location.locationId);
    expect((await search(location, appToken)).status).toBe(200);
    expect((await search(location, sameApp)).status).toBe(200);
    expect((await search(location, appToken)).status).toBe(429);
    expect((await search(location, sameApp)).status).toBe(429);
    // Another token without an app, and the location's own token, have budgets of their own.
    expect((await search(location, plain)).status).toBe(200);
    expect((await search(location)).status).toBe(200);
    // The same app on another location too.
    const elsewhere = await createLocation(harness);
    const elsewhereToken = (
      await harness.admin.post(null, `/admin/v1/locations/${elsewhere.locationId}/tokens`, { appId: app.id })
    ).body.token as string;
    expect((await search(elsewhere, elsewhereToken)).status).toBe(200);
  });

  it('is switched off per location, and reset to the defaults', async () => {
    const location = await createLocation(harness);
    expect(await limit(harness, location, { enabled: false })).toMatchObject({ enabled: false, custom: true });
    const free = await search(location);
    expect(free.status).toBe(200);
    expect(limitHeaders(free)).toBeNull();
    const reset = await harness.admin.delete(null, `/admin/v1/locations/${location.locationId}/rate-limit`);
    expect(reset.body.rateLimit).toEqual({
      enabled: true,
      burstMax: 100,
      intervalMs: 10_000,
      dailyMax: 200_000,
      custom: false,
    });
    expect(limitHeaders(await search(location))).toMatchObject({ max: 100 });
    const unknown = await harness.admin.get(null, '/admin/v1/locations/nope/rate-limit');
    expect(unknown.status).toBe(404);
    const bad = await harness.admin.put(null, `/admin/v1/locations/${location.locationId}/rate-limit`, { burstMax: 0 });
    expect(bad.status).toBe(422);
  });
});

describe('rate limits switched off', () => {
  it('sends no X-RateLimit-* headers and never refuses (RATE_LIMIT_ENABLED=false)', async () => {
    const harness = await startHarness(ENGINES[0] ?? 'sqlite');
    try {
      const location = await createLocation(harness);
      await limit(harness, location, { burstMax: 1 });
      for (let i = 0; i < 3; i += 1) {
        const response = await search(location);
        expect(response.status).toBe(200);
        expect(limitHeaders(response)).toBeNull();
      }
    } finally {
      await harness.close();
    }
  });
});

describe.skipIf(!REDIS_URL).each(ENGINES)('rate limits in Redis on %s', (engine) => {
  const clock = new TestClock();
  let first: Harness;
  let second: Harness;

  beforeAll(async () => {
    const env = { RATE_LIMIT_ENABLED: 'true', REDIS_URL: REDIS_URL as string };
    first = await startHarness(engine, { clock, env, keepDatabase: true });
    second = await startHarness(engine, { clock, env, database: first.database });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await first?.database.drop();
  });

  it('shares one budget between two servers', async () => {
    const location = await createLocation(first);
    await limit(first, location, { burstMax: 4, intervalMs: 60_000 });
    clock.set(Math.ceil(clock.now() / 60_000) * 60_000);
    expect(limitHeaders(await search(location, location.token, first))).toMatchObject({ remaining: 3 });
    expect(limitHeaders(await search(location, location.token, second))).toMatchObject({ remaining: 2 });
    expect(limitHeaders(await search(location, location.token, first))).toMatchObject({ remaining: 1 });
    expect(limitHeaders(await search(location, location.token, second))).toMatchObject({ remaining: 0 });
    expect((await search(location, location.token, second)).status).toBe(429);
    expect((await search(location, location.token, first)).status).toBe(429);
    clock.advance(60_000);
    expect(limitHeaders(await search(location, location.token, second))).toMatchObject({ remaining: 3 });
  });

  it('counts concurrent requests on both servers exactly', async () => {
    const location = await createLocation(first);
    await limit(first, location, { burstMax: 10, intervalMs: 60_000, dailyMax: 15 });
    clock.set(Math.ceil(clock.now() / 60_000) * 60_000);
    const burst = await Promise.all(
      Array.from({ length: 24 }, (_, i) => search(location, location.token, i % 2 ? first : second)),
    );
    expect(burst.filter((r) => r.status === 200)).toHaveLength(10);
    expect(burst.filter((r) => r.status === 429)).toHaveLength(14);
    clock.advance(60_000);
    const day = await Promise.all(
      Array.from({ length: 10 }, (_, i) => search(location, location.token, i % 2 ? first : second)),
    );
    expect(day.filter((r) => r.status === 200)).toHaveLength(5);
    const last = day.find((r) => r.status === 429);
    expect(last && limitHeaders(last)).toMatchObject({ 'daily-remaining': 0 });
  });

  it('refuses to start when Redis cannot be reached', async () => {
    await expect(
      startHarness(engine, { env: { RATE_LIMIT_ENABLED: 'true', REDIS_URL: 'redis://127.0.0.1:1' } }),
    ).rejects.toThrow();
  });
});
