// The official SDK as a marketplace app runs it: client credentials, sessions in its SessionStorage, tokens
// refreshed by itself when the API answers 401, Company tokens used for location tokens, and its rateLimitRetry
// riding out a burst 429 by the X-RateLimit-* headers.
import { randomUUID } from 'node:crypto';
import { type GHLError, HighLevel, MemorySessionStorage } from '@gohighlevel/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { authorize, companyLocation, createOAuthApp, REDIRECT_URI, type TestOAuthApp } from '../helpers/oauth.js';
import { highLevelClient } from '../helpers/sdk.js';

function oauthClient(baseUrl: string, app: TestOAuthApp, storage: MemorySessionStorage): HighLevel {
  const client = new HighLevel({
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    sessionStorage: storage,
    logLevel: 'none',
  });
  // The one change: HighLevel's base URL (see test/helpers/sdk.ts).
  client.getHttpClient().defaults.baseURL = baseUrl;
  return client;
}

describe.each(ENGINES)('the SDK with OAuth on %s', (engine) => {
  const clock = new TestClock(Date.now());
  let harness: Harness;
  let location: TestLocation;
  let app: TestOAuthApp;

  beforeAll(async () => {
    harness = await startHarness(engine, { clock });
    location = await createLocation(harness);
    app = await createOAuthApp(harness);
  });
  afterAll(() => harness?.close());

  it('exchanges the code, then refreshes an expired access token on a 401 by itself and retries', async () => {
    const storage = new MemorySessionStorage();
    const ghl = oauthClient(harness.baseUrl, app, storage);
    const code = await authorize(harness, app, { locationId: location.locationId, redirectUri: REDIRECT_URI });
    // What an app's OAuth callback does: exchange the code and keep the session.
    const session = await ghl.oauth.getAccessToken({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'authorization_code',
      code,
      user_type: 'Location',
      redirect_uri: REDIRECT_URI,
    });
    expect(session).toMatchObject({ userType: 'Location', locationId: location.locationId, expires_in: 86399 });
    await storage.setSession(location.locationId, session);

    const before = await ghl.conversations.searchConversation({ locationId: location.locationId });
    expect(before.total).toBe(0);

    // A day later (by the server's clock) the access token has expired; the SDK's own clock has not noticed.
    clock.advance(86_400 * 1000);
    const stale = await storage.getSession(location.locationId);
    const raw = await fetch(`${harness.baseUrl}/conversations/search?locationId=${location.locationId}`, {
      headers: { authorization: `Bearer ${stale?.access_token}`, version: '2021-07-28' },
    });
    expect(raw.status).toBe(401);
    expect(((await raw.json()) as { message: string }).message).toBe('Invalid JWT');

    const after = await ghl.conversations.searchConversation({ locationId: location.locationId });
    expect(after.total).toBe(0);
    const refreshed = await storage.getSession(location.locationId);
    expect(refreshed?.access_token).not.toBe(stale?.access_token);
    expect(refreshed?.refresh_token).not.toBe(stale?.refresh_token);
    expect(refreshed?.userType).toBe('Location');

    // The refresh token the SDK replaced is spent: presenting it again is refused.
    await expect(
      ghl.oauth.refreshToken(
        stale?.refresh_token as string,
        app.clientId,
        app.clientSecret,
        'refresh_token',
        'Location',
      ),
    ).rejects.toMatchObject({ statusCode: 400, message: 'Invalid grant: refresh token is invalid' });
  });

  it('uses a stored Company session for installed locations and location tokens', async () => {
    const companyId = `co${randomUUID().slice(0, 8)}`;
    const branch = await companyLocation(harness, companyId);
    const storage = new MemorySessionStorage();
    const ghl = oauthClient(harness.baseUrl, app, storage);
    const session = await ghl.oauth.getAccessToken({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'authorization_code',
      code: await authorize(harness, app, { companyId }),
      user_type: 'Company',
    });
    await storage.setSession(companyId, session);
    const installed = await ghl.oauth.getInstalledLocation({ companyId, appId: app.appId });
    expect(installed.locations?.map((l) => l._id)).toEqual([branch]);
    const minted = await ghl.oauth.getLocationAccessToken({ companyId, locationId: branch });
    expect(minted).toMatchObject({ locationId: branch, expires_in: 86399 });
    await storage.setSession(branch, { ...minted, companyId, userType: 'Location' });
    const search = await ghl.conversations.searchConversation({ locationId: branch });
    expect(search.total).toBe(0);
  });
});

/** Waits for the start of a fresh rate-limit window (windows are numbered from the epoch), so a burst fits in one. */
async function windowStart(intervalMs: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, intervalMs - (Date.now() % intervalMs) + 5));
}

describe('the SDK’s rateLimitRetry', () => {
  let harness: Harness;
  let location: TestLocation;

  beforeAll(async () => {
    harness = await startHarness(ENGINES[0] ?? 'sqlite', { env: { RATE_LIMIT_ENABLED: 'true' } });
    location = await createLocation(harness);
    const limited = await harness.admin.put(null, `/admin/v1/locations/${location.locationId}/rate-limit`, {
      burstMax: 3,
      intervalMs: 400,
    });
    if (limited.status !== 200) throw new Error(`rate limit: ${limited.status} ${JSON.stringify(limited.body)}`);
  });
  afterAll(() => harness?.close());

  it('fails a burst over the limit with a 429 the SDK reads as a burst limit', async () => {
    const ghl = highLevelClient(harness.baseUrl, location.token);
    await windowStart(400);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => ghl.conversations.searchConversation({ locationId: location.locationId })),
    );
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    const error = refused[0]?.reason as GHLError & { rateLimit?: { scope: string; intervalMs: number; max: number } };
    expect(error.statusCode).toBe(429);
    expect(error.rateLimit).toMatchObject({ scope: 'burst', intervalMs: 400, max: 3 });
  });

  it('waits out the interval the headers name and succeeds', async () => {
    const ghl = new HighLevel({ privateIntegrationToken: location.token, logLevel: 'none', rateLimitRetry: true });
    ghl.getHttpClient().defaults.baseURL = harness.baseUrl;
    let attempts = 0;
    ghl.getHttpClient().interceptors.request.use((config) => {
      attempts += 1;
      return config;
    });
    await windowStart(400);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => ghl.conversations.searchConversation({ locationId: location.locationId })),
    );
    expect(results).toHaveLength(6);
    expect(results.every((result) => result.total === 0)).toBe(true);
    // Some of them were refused first and sent again.
    expect(attempts).toBeGreaterThan(6);
  });
});
