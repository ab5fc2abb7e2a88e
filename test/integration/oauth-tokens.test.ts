// POST /oauth/token: authorisation codes and rotating refresh tokens, HighLevel's JWT claims and messages, and what
// an app's OAuth token may do on a location (the app's identity included).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createLocation, createProvider, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import {
  authorize,
  createOAuthApp,
  decodeJwt,
  exchangeCode,
  installOnLocation,
  REDIRECT_URI,
  refresh,
  type TestOAuthApp,
  tokenRequest,
} from '../helpers/oauth.js';

describe.each(ENGINES)('OAuth tokens on %s', (engine) => {
  const clock = new TestClock();
  let harness: Harness;
  let location: TestLocation;
  let app: TestOAuthApp;

  beforeAll(async () => {
    harness = await startHarness(engine, { clock });
    location = await createLocation(harness);
    app = await createOAuthApp(harness);
  });
  afterAll(() => harness?.close());

  const search = (token: string, locationId = location.locationId) =>
    harness.client(token).get('conversations:search-conversation', '/conversations/search', { query: { locationId } });

  it('gives apps a client id of the form <appId>-<suffix> and a secret shown once, rotatable', async () => {
    expect(app.clientId).toMatch(new RegExp(`^${app.appId}-[0-9a-z]{8}$`));
    expect(app.clientSecret).toMatch(/^[0-9a-f-]{36}$/);
    const read = await harness.admin.get(null, `/admin/v1/apps/${app.appId}`);
    expect(read.body.app).toMatchObject({ clientId: app.clientId, redirectUris: [REDIRECT_URI] });
    expect(JSON.stringify(read.body)).not.toContain(app.clientSecret);

    const other = await createOAuthApp(harness);
    const rotated = await harness.admin.post(null, `/admin/v1/apps/${other.appId}/client-secret`, {});
    expect(rotated.status).toBe(201);
    expect(rotated.body.clientId).toBe(other.clientId);
    expect(rotated.body.clientSecret).not.toBe(other.clientSecret);
    const code = await authorize(harness, other, { locationId: location.locationId });
    const fields = { client_id: other.clientId, grant_type: 'authorization_code', code };
    const stale = await tokenRequest(harness, { ...fields, client_secret: other.clientSecret });
    expect(stale.status).toBe(401);
    expect(stale.body.message).toBe('Invalid client: client is invalid');
    const fresh = await tokenRequest(harness, { ...fields, client_secret: rotated.body.clientSecret });
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(200);
  });

  it('exchanges a code for a HighLevel-shaped JWT (RS256, 86,399 s) and a refresh token', async () => {
    const code = await authorize(harness, app, { locationId: location.locationId, userId: 'user-1' });
    const tokens = await exchangeCode(harness, app, code);
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      expires_in: 86399,
      userType: 'Location',
      locationId: location.locationId,
      userId: 'user-1',
    });
    expect(tokens.scope.split(' ')).toContain('conversations.readonly');
    expect(tokens.refresh_token).toMatch(/^[0-9a-f]{64}$/);
    const { header, payload } = decodeJwt(tokens.access_token);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(payload).toMatchObject({
      authClass: 'Location',
      authClassId: location.locationId,
      source: 'INTEGRATION',
      sourceId: app.clientId,
      channel: 'OAUTH',
      oauthMeta: { client: app.appId, scopes: expect.arrayContaining(['conversations.readonly']) },
    });
    expect(payload.exp - payload.iat).toBe(86399);
    expect(payload.iat).toBe(Math.floor(clock.now() / 1000));
    expect((await search(tokens.access_token)).status).toBe(200);
  });

  it('takes JSON bodies, camelCase names and HTTP Basic client credentials too', async () => {
    const camel = await tokenRequest(
      harness,
      {
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        grantType: 'authorization_code',
        code: await authorize(harness, app, { locationId: location.locationId }),
        userType: 'Location',
      },
      { json: true },
    );
    expect(camel.status, JSON.stringify(camel.body)).toBe(200);
    const basic = await tokenRequest(
      harness,
      { grant_type: 'authorization_code', code: await authorize(harness, app, { locationId: location.locationId }) },
      { headers: { authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}` } },
    );
    expect(basic.status, JSON.stringify(basic.body)).toBe(200);
  });

  it('answers bad requests with HighLevel’s messages', async () => {
    const code = await authorize(harness, app, { locationId: location.locationId });
    const base = { client_id: app.clientId, client_secret: app.clientSecret, grant_type: 'authorization_code', code };
    const cases: [Record<string, string | undefined>, number, string][] = [
      [{ ...base, client_id: undefined }, 400, 'Missing parameter: `client_id`'],
      [{ ...base, client_secret: undefined }, 400, 'Missing parameter: `client_secret`'],
      [{ ...base, grant_type: undefined }, 400, 'Missing parameter: `grant_type`'],
      [{ ...base, grant_type: 'bad grant!' }, 400, 'Invalid parameter: `grant_type`'],
      [{ ...base, grant_type: 'client_credentials' }, 400, 'Unsupported grant type: `grant_type` is invalid'],
      [{ ...base, code: undefined }, 400, 'Missing parameter: `code`'],
      [{ ...base, user_type: 'Agency' }, 400, 'Invalid parameter: `user_type`'],
      [{ ...base, user_type: 'Company' }, 400, 'Invalid parameter: `user_type`'],
      [{ ...base, code: 'nope' }, 400, 'Invalid grant: authorization code is invalid'],
      [{ ...base, redirect_uri: 'https://evil.example.com/cb' }, 400, 'Invalid request: `redirect_uri` is invalid'],
      [{ ...base, client_secret: 'wrong' }, 401, 'Invalid client: client is invalid'],
      [{ ...base, client_id: `${app.appId}-zzzzzzzz` }, 401, 'Invalid client: client is invalid'],
      [{ ...base, grant_type: 'refresh_token' }, 400, 'Missing parameter: `refresh_token`'],
      [
        { ...base, grant_type: 'refresh_token', refresh_token: 'x'.repeat(64) },
        400,
        'Invalid grant: refresh token is invalid',
      ],
    ];
    for (const [fields, status, message] of cases) {
      const response = await tokenRequest(harness, fields);
      expect(response.status, message).toBe(status);
      expect(response.body).toMatchObject({ statusCode: status, message });
    }
    // None of those spent the code.
    expect((await tokenRequest(harness, base)).status).toBe(200);
  });

  it('spends a code once; a replayed code revokes what it was exchanged for', async () => {
    const code = await authorize(harness, app, { locationId: location.locationId });
    const first = await exchangeCode(harness, app, code);
    expect((await search(first.access_token)).status).toBe(200);
    const replay = await tokenRequest(harness, {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'authorization_code',
      code,
    });
    expect(replay.body.message).toBe('Invalid grant: authorization code is invalid');
    expect((await search(first.access_token)).body.message).toBe('Invalid JWT');
    expect((await refresh(harness, app, first.refresh_token)).body.message).toBe(
      'Invalid grant: refresh token is invalid',
    );
  });

  it('lets a code expire after ten minutes, and another app never use it', async () => {
    const code = await authorize(harness, app, { locationId: location.locationId });
    const other = await createOAuthApp(harness);
    const stolen = await tokenRequest(harness, {
      client_id: other.clientId,
      client_secret: other.clientSecret,
      grant_type: 'authorization_code',
      code,
    });
    expect(stolen.body.message).toBe('Invalid grant: authorization code is invalid');
    clock.advance(10 * 60 * 1000);
    const late = await tokenRequest(harness, {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'authorization_code',
      code,
    });
    expect(late.body.message).toBe('Invalid grant: authorization code has expired');
  });

  it('rotates refresh tokens; a reused one is refused and ends its whole family', async () => {
    const first = await installOnLocation(harness, app, location.locationId);
    const second = await refresh(harness, app, first.refresh_token);
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body).toMatchObject({ userType: 'Location', locationId: location.locationId, expires_in: 86399 });
    clock.advance(1000);
    const third = await refresh(harness, app, second.body.refresh_token);
    expect(third.status).toBe(200);
    expect((await search(third.body.access_token)).status).toBe(200);

    const reused = await refresh(harness, app, first.refresh_token);
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ statusCode: 400, message: 'Invalid grant: refresh token is invalid' });
    // The family is revoked: the newest refresh token and the access tokens made from it stop working.
    expect((await refresh(harness, app, third.body.refresh_token)).body.message).toBe(
      'Invalid grant: refresh token is invalid',
    );
    expect((await search(third.body.access_token)).body.message).toBe('Invalid JWT');
    // Another installation of the same app is untouched.
    const other = await installOnLocation(harness, app, location.locationId);
    expect((await search(other.access_token)).status).toBe(200);
  });

  it('refuses a refresh token of another app, of the wrong user type, or over a year old', async () => {
    const tokens = await installOnLocation(harness, app, location.locationId);
    const other = await createOAuthApp(harness);
    expect((await refresh(harness, other, tokens.refresh_token)).body.message).toBe(
      'Invalid grant: refresh token is invalid',
    );
    expect((await refresh(harness, app, tokens.refresh_token, 'Company')).body.message).toBe(
      'Invalid parameter: `user_type`',
    );
    clock.advance(366 * 24 * 3600 * 1000);
    expect((await refresh(harness, app, tokens.refresh_token)).body.message).toBe(
      'Invalid grant: refresh token has expired',
    );
  });

  it('carries the app’s identity: its token may use the app’s provider, another app’s may not', async () => {
    const provider = await createProvider(harness, location, { appId: app.appId });
    const tokens = await installOnLocation(harness, app, location.locationId);
    const contact = await location.api.post('contacts:create-contact', '/contacts/', {
      locationId: location.locationId,
      phone: '+15550001111',
    });
    const body = {
      type: 'SMS',
      message: 'Hello from the gateway',
      contactId: contact.body.contact.id,
      conversationProviderId: provider.providerId,
    };
    const mine = await harness
      .client(tokens.access_token)
      .post('conversations:add-an-inbound-message', '/conversations/messages/inbound', body);
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    const stranger = await installOnLocation(harness, await createOAuthApp(harness), location.locationId);
    const theirs = await harness
      .client(stranger.access_token)
      .post('conversations:add-an-inbound-message', '/conversations/messages/inbound', body);
    expect(theirs.status).toBe(400);
    expect(theirs.body.message).toBe('Invalid conversationProviderId');
  });

  it('ends a location’s tokens when the app is uninstalled there, and refuses their refresh', async () => {
    const own = await createLocation(harness);
    const tokens = await installOnLocation(harness, app, own.locationId);
    expect((await search(tokens.access_token, own.locationId)).status).toBe(200);
    const removed = await harness.admin.delete(null, `/admin/v1/locations/${own.locationId}/apps/${app.appId}`);
    expect(removed.status).toBe(200);
    expect((await search(tokens.access_token, own.locationId)).body.message).toBe('Invalid JWT');
    expect((await refresh(harness, app, tokens.refresh_token)).body.message).toBe(
      'Invalid grant: refresh token is invalid',
    );
    // Installing it again does not bring the old tokens back.
    expect((await harness.admin.put(null, `/admin/v1/locations/${own.locationId}/apps/${app.appId}`)).status).toBe(201);
    expect((await search(tokens.access_token, own.locationId)).body.message).toBe('Invalid JWT');
  });

  it('keeps its signing key across restarts: a token outlives the server that issued it', async () => {
    const restarted = await startHarness(engine, { clock, database: harness.database });
    try {
      const own = await createLocation(restarted);
      const tokens = await installOnLocation(restarted, app, own.locationId);
      const before = await restarted.admin.get(null, '/admin/v1/oauth/public-key');
      expect(before.body).toMatchObject({ algorithm: 'RS256', jwk: { kty: 'RSA', alg: 'RS256' } });
      const again = await harness
        .client(tokens.access_token)
        .get('conversations:search-conversation', '/conversations/search', {
          query: { locationId: own.locationId },
        });
      expect(again.status).toBe(200);
      expect((await harness.admin.get(null, '/admin/v1/oauth/public-key')).body.publicKey).toBe(before.body.publicKey);
    } finally {
      await restarted.close();
    }
  });
});
