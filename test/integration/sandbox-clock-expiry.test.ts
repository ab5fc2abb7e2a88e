// What expires follows the virtual clock: a typing signal, an OAuth access token and code, a signed upload URL and a
// visitor's session all expire when the clock is moved past their time, with no wait in real time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { initiateUpload, putSigned } from '../helpers/files.js';
import { type Harness, startHarness, VERSION } from '../helpers/harness.js';
import { createWidget, startVisitor } from '../helpers/live-chat.js';
import { authorize, createOAuthApp, exchangeCode, REDIRECT_URI, tokenRequest } from '../helpers/oauth.js';
import { SseStream } from '../helpers/sse.js';

const START = '2030-06-01T09:00:00.000Z';
const TYPING_TTL_MS = 60_000;

describe.each(ENGINES)('expiry on the virtual clock (%s)', (engine) => {
  let harness: Harness;
  let location: TestLocation;

  beforeAll(async () => {
    harness = await startHarness(engine, {
      env: { CLOCK: 'virtual', CLOCK_START: START, TYPING_TTL_MS: String(TYPING_TTL_MS) },
    });
    location = await createLocation(harness);
  });
  afterAll(async () => {
    await harness?.close();
  });

  const advance = async (advanceMs: number) => {
    const moved = await harness.admin.post(null, '/admin/v1/clock', { advanceMs });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
  };

  it('ends a typing signal once the clock passes its TTL', async () => {
    const widget = await createWidget(harness, location);
    const visitor = await startVisitor(harness, widget.id);
    const stream = await SseStream.open(`${harness.baseUrl}/conversations/events/stream`, {
      authorization: `Bearer ${location.token}`,
      version: VERSION,
    });
    try {
      await stream.next('ready');
      const typed = await visitor.api.post('extensions:live-chat-visitor-typing', '/widget/v1/session/typing', {
        isTyping: true,
      });
      expect(typed.status).toBe(201);
      expect((await stream.next('typing')).data).toMatchObject({ isTyping: true, ttlMs: TYPING_TTL_MS });
      // A minute of TTL, and the test does not wait for it.
      await advance(TYPING_TTL_MS + 1);
      const events = await stream.until((all) => all.filter((e) => e.event === 'typing').length >= 2);
      const ended = events.filter((e) => e.event === 'typing')[1] as (typeof events)[number];
      expect(ended.data).toMatchObject({ isTyping: false, expired: true, visitorId: visitor.visitorId });
    } finally {
      stream.close();
    }
  });

  it('refuses an OAuth access token, and an unused code, once the clock passes their expiry', async () => {
    const app = await createOAuthApp(harness);
    const tokens = await exchangeCode(harness, app, await authorize(harness, app, { locationId: location.locationId }));
    const api = harness.client(tokens.access_token);
    const search = () => api.get(null, '/conversations/search', { query: { locationId: location.locationId } });
    expect((await search()).status).toBe(200);
    const unused = await authorize(harness, app, { locationId: location.locationId });

    await advance(tokens.expires_in * 1000 + 1_000);
    expect((await search()).status).toBe(401);
    const late = await tokenRequest(
      harness,
      {
        client_id: app.clientId,
        client_secret: app.clientSecret,
        grant_type: 'authorization_code',
        code: unused,
        user_type: 'Location',
        redirect_uri: REDIRECT_URI,
      },
      { raw: true },
    );
    expect(late.status).toBeGreaterThanOrEqual(400);
    expect(late.status).toBeLessThan(500);
  });

  it('refuses a signed upload URL once the clock passes its expiry, and takes one still valid', async () => {
    const conversation = await createConversation(location);
    const upload = (filename: string) =>
      initiateUpload(location, { conversationId: conversation.id, filename, contentType: 'text/plain', fileSize: 5 });
    const early = await upload('early.txt');
    expect(early.status, JSON.stringify(early.body)).toBe(200);
    const expiresAt = Number(new URL(early.body.uploadUrl as string).searchParams.get('expires'));
    const now = Date.parse((await harness.admin.get(null, '/admin/v1/clock')).body.now);
    expect(expiresAt).toBeGreaterThan(now);

    await advance(expiresAt - now + 1_000);
    const refused = await putSigned(early.body.uploadUrl, Buffer.from('hello'), 'text/plain');
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain('expired');

    const fresh = await upload('fresh.txt');
    expect((await putSigned(fresh.body.uploadUrl, Buffer.from('hello'), 'text/plain')).status).toBe(200);
  });

  it('ends a live chat visitor session once the clock passes its lifetime', async () => {
    const widget = await createWidget(harness, location);
    const visitor = await startVisitor(harness, widget.id);
    const session = () => visitor.api.get(null, '/widget/v1/session');
    expect((await session()).status).toBe(200);
    // LIVE_CHAT_SESSION_TTL_HOURS: 30 days by default.
    await advance(31 * 24 * 3_600_000);
    expect((await session()).status).toBe(401);
  });
});
