// Forged and misused access tokens: another key's signature, an altered payload, `none` and HMAC algorithms, an
// expired token, a token of another location, a token without the operation's scope. Each meets its message.
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { createOAuthApp, decodeJwt, installOnLocation, type TestOAuthApp } from '../helpers/oauth.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe.each(ENGINES)('OAuth token forgery on %s', (engine) => {
  const clock = new TestClock();
  let harness: Harness;
  let owner: TestLocation;
  let stranger: TestLocation;
  let app: TestOAuthApp;
  let genuine: string;

  beforeAll(async () => {
    harness = await startHarness(engine, { clock });
    owner = await createLocation(harness);
    stranger = await createLocation(harness);
    app = await createOAuthApp(harness);
    genuine = (await installOnLocation(harness, app, owner.locationId)).access_token;
  });
  afterAll(() => harness?.close());

  const search = (token: string, locationId = owner.locationId) =>
    harness.client(token).get('conversations:search-conversation', '/conversations/search', { query: { locationId } });

  async function expectInvalid(token: string) {
    const response = await search(token);
    expect(response.status, token).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401, message: 'Invalid JWT' });
  }

  it('accepts the genuine token', async () => {
    expect((await search(genuine)).status).toBe(200);
  });

  it('refuses the same claims signed with another key', async () => {
    const { payload } = decodeJwt(genuine);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(privateKey);
    await expectInvalid(forged);
  });

  it('refuses an altered payload, an unsigned token and an HMAC one keyed with the public key', async () => {
    const [header, payload, signature] = genuine.split('.');
    const claims = decodeJwt(genuine).payload;
    const widened = { ...claims, oauthMeta: { ...claims.oauthMeta, scopes: [...claims.oauthMeta.scopes, 'x'] } };
    await expectInvalid(`${header}.${b64(widened)}.${signature}`);
    await expectInvalid(`${header}.${b64({ ...claims, authClassId: stranger.locationId })}.${signature}`);
    await expectInvalid(`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`);
    const publicKey = (await harness.admin.get(null, '/admin/v1/oauth/public-key')).body.publicKey as string;
    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(publicKey));
    await expectInvalid(hmac);
  });

  it('refuses a token once its 86,399 seconds are over', async () => {
    const token = (await installOnLocation(harness, app, owner.locationId)).access_token;
    clock.advance(86_398 * 1000);
    expect((await search(token)).status).toBe(200);
    clock.advance(1000);
    await expectInvalid(token);
  });

  it('keeps a token to its own location', async () => {
    const token = (await installOnLocation(harness, app, owner.locationId)).access_token;
    const foreign = await search(token, stranger.locationId);
    expect(foreign.status).toBe(403);
    expect(foreign.body.message).toBe('The token does not have access to this location.');
    const conversation = await createConversation(stranger);
    const read = await harness.client(token).get('conversations:get-conversation', `/conversations/${conversation.id}`);
    expect(read.status).toBe(404);
  });

  it('refuses an operation whose scope the token lacks', async () => {
    const token = (await installOnLocation(harness, app, owner.locationId, ['conversations.readonly'])).access_token;
    expect(decodeJwt(token).payload.oauthMeta.scopes).toEqual(['conversations.readonly']);
    expect((await search(token)).status).toBe(200);
    const create = await harness.client(token).post('conversations:create-conversation', '/conversations/', {
      locationId: owner.locationId,
      contactId: 'abc',
    });
    expect(create.status).toBe(401);
    expect(create.body.message).toBe('The token is not authorized for this scope.');
  });
});
