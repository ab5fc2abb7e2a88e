// Company (agency) installations: a Company token covers the company's locations through POST /oauth/locationToken,
// lists them with GET /oauth/installedLocations, and is refused on location routes with HighLevel's message.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import {
  authorize,
  companyLocation,
  createOAuthApp,
  decodeJwt,
  exchangeCode,
  refresh,
  type TestOAuthApp,
} from '../helpers/oauth.js';

const AUTH_CLASS_MESSAGE =
  'This authClass type is not allowed to access this scope. Please verify your IAM configuration if this is not the case.';

describe.each(ENGINES)('OAuth company installations on %s', (engine) => {
  let harness: Harness;
  let app: TestOAuthApp;
  const companyId = `co${randomUUID().slice(0, 8)}`;
  let first: string;
  let second: string;
  let elsewhere: string;
  let companyToken: string;
  let companyRefresh: string;

  beforeAll(async () => {
    harness = await startHarness(engine);
    app = await createOAuthApp(harness);
    first = await companyLocation(harness, companyId, 'Alpha Branch');
    second = await companyLocation(harness, companyId, 'Beta Branch');
    elsewhere = await companyLocation(harness, `other${randomUUID().slice(0, 8)}`);
    const tokens = await exchangeCode(harness, app, await authorize(harness, app, { companyId }), 'Company');
    companyToken = tokens.access_token;
    companyRefresh = tokens.refresh_token;
  });
  afterAll(() => harness?.close());

  const company = () => harness.client(companyToken);
  const locationToken = (body: Record<string, string>, token = companyToken) =>
    harness.client(token).request('POST', 'oauth:get-location-access-token', '/oauth/locationToken', {
      body: new URLSearchParams(body).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  const installed = (query: Record<string, string | boolean> = {}, token = companyToken) =>
    harness.client(token).get('oauth:get-installed-location', '/oauth/installedLocations', {
      query: { companyId, appId: app.appId, ...query },
    });

  it('issues a Company token that covers (and installs the app on) every location of the company', async () => {
    const code = await authorize(harness, app, { companyId, userId: 'agency-user' });
    const tokens = await exchangeCode(harness, app, code, 'Company');
    expect(tokens).toMatchObject({ userType: 'Company', companyId, userId: 'agency-user' });
    expect((tokens as unknown as { approvedLocations: string[] }).approvedLocations.sort()).toEqual(
      [first, second].sort(),
    );
    expect(decodeJwt(tokens.access_token).payload).toMatchObject({
      authClass: 'Company',
      authClassId: companyId,
      oauthMeta: { client: app.appId },
    });
    const apps = await harness.admin.get(null, `/admin/v1/locations/${first}/apps`);
    expect(apps.body.apps.map((a: { id: string }) => a.id)).toContain(app.appId);
  });

  it('refuses a Company token on a location route, and a location token on a company route', async () => {
    const search = await company().get('conversations:search-conversation', '/conversations/search', {
      query: { locationId: first },
    });
    expect(search.status).toBe(401);
    expect(search.body.message).toBe(AUTH_CLASS_MESSAGE);
    const pit = await createLocation(harness);
    const refused = await installed({}, pit.token);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toBe(AUTH_CLASS_MESSAGE);
  });

  it('mints a location token from the company token, which then works on that location', async () => {
    const minted = await locationToken({ companyId, locationId: first });
    expect(minted.status, JSON.stringify(minted.body)).toBe(200);
    expect(minted.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 86399,
      locationId: first,
      appId: app.appId,
    });
    expect(minted.body.refresh_token).toBeUndefined();
    expect(decodeJwt(minted.body.access_token).payload).toMatchObject({ authClass: 'Location', authClassId: first });
    const search = await harness
      .client(minted.body.access_token)
      .get('conversations:search-conversation', '/conversations/search', { query: { locationId: first } });
    expect(search.status).toBe(200);
    const across = await harness
      .client(minted.body.access_token)
      .get('conversations:search-conversation', '/conversations/search', { query: { locationId: second } });
    expect(across.body.message).toBe('The token does not have access to this location.');
    // JSON bodies too, and the location token may not mint others.
    const json = await company().post('oauth:get-location-access-token', '/oauth/locationToken', {
      companyId,
      locationId: second,
    });
    expect(json.status).toBe(200);
    expect((await locationToken({ companyId, locationId: first }, minted.body.access_token)).body.message).toBe(
      AUTH_CLASS_MESSAGE,
    );
  });

  it('refuses locations outside the company, another company, and locations the app is not on', async () => {
    expect((await locationToken({ companyId, locationId: elsewhere })).body).toMatchObject({
      statusCode: 400,
      message: 'Location not found',
    });
    expect((await locationToken({ companyId: 'someone-else', locationId: first })).status).toBe(403);
    const missing = await locationToken({ companyId } as Record<string, string>);
    expect(missing.status).toBe(422);
    const later = await companyLocation(harness, companyId, 'Gamma Branch');
    expect((await locationToken({ companyId, locationId: later })).body.message).toBe(
      'The app is not installed on this location',
    );
  });

  it('lists the company’s locations with whether the app is installed, filtered and paged', async () => {
    const all = await installed();
    expect(all.status).toBe(200);
    const byId = new Map(all.body.locations.map((l: { _id: string }) => [l._id, l]));
    expect(byId.get(first)).toMatchObject({ name: 'Alpha Branch', isInstalled: true, address: '' });
    expect(byId.has(elsewhere)).toBe(false);
    expect(all.body.count).toBe(all.body.locations.length);

    const moved = await harness.admin.patch(null, `/admin/v1/locations/${elsewhere}`, { companyId });
    expect(moved.body.location.companyId).toBe(companyId);
    const withMoved = await installed({ isInstalled: false });
    expect(withMoved.body.locations.map((l: { _id: string }) => l._id)).toContain(elsewhere);
    expect(withMoved.body.locations.every((l: { isInstalled: boolean }) => !l.isInstalled)).toBe(true);

    const named = await installed({ query: 'beta' });
    expect(named.body.locations.map((l: { _id: string }) => l._id)).toEqual([second]);
    const page = await installed({ limit: '1', skip: '1' });
    expect(page.body.locations).toHaveLength(1);
    expect(page.body.count).toBe(all.body.count + 1);
    expect((await installed({ companyId: 'someone-else' })).status).toBe(403);
  });

  it('refreshes a Company token as a Company token', async () => {
    const refreshed = await refresh(harness, app, companyRefresh, 'Company');
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    expect(refreshed.body).toMatchObject({ userType: 'Company', companyId });
    companyToken = refreshed.body.access_token;
    companyRefresh = refreshed.body.refresh_token;
    expect((await installed()).status).toBe(200);
  });
});
