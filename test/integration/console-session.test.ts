// The console's session layer (src/http/console-session.ts): a token buys an HttpOnly, SameSite=Strict cookie that
// stands in for the bearer token only together with the session's CSRF header; a location session stays in its
// location and its scopes; sign-out, revocation and expiry (eight hours of real time, even under a virtual clock)
// end it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createConversation, createLocation, issueToken, type TestLocation } from '../helpers/factories.js';
import { ADMIN_TOKEN, type Harness, startHarness } from '../helpers/harness.js';
import { SseStream } from '../helpers/sse.js';

interface Signed {
  cookie: string;
  csrf: string;
  setCookie: string;
  body: any;
}

/** An admin session's cookie on the server at baseUrl. */
async function adminCookie(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/console/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: ADMIN_TOKEN }),
  });
  expect(response.status).toBe(201);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

describe.each(ENGINES)('console sessions on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  let other: TestLocation;

  beforeAll(async () => {
    harness = await startHarness(engine);
    location = await createLocation(harness);
    other = await createLocation(harness);
  });
  afterAll(async () => harness?.close());

  const url = (path: string) => `${harness.baseUrl}${path}`;

  async function signIn(token: string): Promise<Signed> {
    const response = await fetch(url('/console/v1/session'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(response.status).toBe(201);
    const setCookie = response.headers.get('set-cookie') ?? '';
    const body = (await response.json()) as any;
    return { cookie: setCookie.split(';')[0] ?? '', csrf: body.session.csrfToken, setCookie, body };
  }

  const call = (path: string, headers: Record<string, string>, init: RequestInit = {}) =>
    fetch(url(path), { ...init, headers: { version: '2021-04-15', ...headers } });

  it('a wrong token gets a clear 401 in the API error shape and no cookie', async () => {
    for (const token of ['nope', 'pit-00000000-0000-0000-0000-000000000000', `${ADMIN_TOKEN}x`]) {
      const response = await fetch(url('/console/v1/session'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('set-cookie')).toBeNull();
      const body = (await response.json()) as any;
      expect(body).toMatchObject({ statusCode: 401 });
      expect(body.message).toMatch(/admin token|private integration token/);
    }
  });

  it('the admin cookie is HttpOnly, SameSite=Strict and expiring, and counts only with the CSRF header', async () => {
    const admin = await signIn(ADMIN_TOKEN);
    expect(admin.setCookie).toMatch(/HttpOnly/);
    expect(admin.setCookie).toMatch(/SameSite=Strict/);
    expect(admin.setCookie).toMatch(/Max-Age=\d+/);
    expect(admin.setCookie).toMatch(/Path=\//);
    expect(admin.body.session).toMatchObject({ kind: 'admin', locationId: null });
    expect(JSON.stringify(admin.body)).not.toContain(ADMIN_TOKEN);

    // The cookie alone (what a forged cross-site request could carry at best) is not enough.
    expect((await call('/admin/v1/locations', { cookie: admin.cookie })).status).toBe(401);
    expect((await call('/admin/v1/locations', { cookie: admin.cookie, 'x-switchboard-csrf': 'wrong' })).status).toBe(
      401,
    );
    const listed = await call('/admin/v1/locations', { cookie: admin.cookie, 'x-switchboard-csrf': admin.csrf });
    expect(listed.status).toBe(200);
    const ids = ((await listed.json()) as any).locations.map((l: { id: string }) => l.id);
    expect(ids).toEqual(expect.arrayContaining([location.locationId, other.locationId]));

    // On the public API, the admin acts as the location it names.
    const conversation = await createConversation(location);
    const headers = { cookie: admin.cookie, 'x-switchboard-csrf': admin.csrf };
    const read = await call(`/conversations/${conversation.id}`, {
      ...headers,
      'x-switchboard-location': location.locationId,
    });
    expect(read.status).toBe(200);
    const elsewhere = await call(`/conversations/${conversation.id}`, {
      ...headers,
      'x-switchboard-location': other.locationId,
    });
    expect(elsewhere.status).toBe(404);
    expect((await call(`/conversations/${conversation.id}`, headers)).status).toBe(400);

    // GET tells a reloaded page its session; sign-out ends it for good, and the cookie is cleared.
    const current = await call('/console/v1/session', { cookie: admin.cookie });
    expect(((await current.json()) as any).session.csrfToken).toBe(admin.csrf);
    const out = await call('/console/v1/session', headers, { method: 'DELETE' });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await call('/admin/v1/locations', headers)).status).toBe(401);
    expect((await call('/console/v1/session', { cookie: admin.cookie })).status).toBe(401);
  });

  it("keeps the console's own calls out of the request journal and clear of sandbox faults", async () => {
    const target = await createLocation(harness);
    const conversation = await createConversation(target);
    const admin = await signIn(ADMIN_TOKEN);
    const route = `/conversations/${conversation.id}`;
    const fault = await harness.admin.post(null, '/admin/v1/faults', {
      target: 'api',
      match: { method: 'GET', route: '/conversations/{conversationId}', locationId: target.locationId },
      effect: { status: 503 },
    });
    expect(fault.status).toBe(201);
    const viaConsole = await call(route, {
      cookie: admin.cookie,
      'x-switchboard-csrf': admin.csrf,
      'x-switchboard-location': target.locationId,
    });
    expect(viaConsole.status).toBe(200);
    // The integrator's own call, with its token, meets the fault and is journaled.
    expect((await target.api.get(null, route)).status).toBe(503);
    await harness.admin.delete(null, `/admin/v1/faults/${fault.body.fault.id}`);
    await expect
      .poll(async () => {
        const journal = await harness.admin.get(null, `/admin/v1/locations/${target.locationId}/requests`);
        return journal.body.requests
          .filter((entry: { path: string }) => entry.path === route)
          .map((entry: { status: number }) => entry.status);
      })
      .toEqual([503]);
  });

  it('a location session sees its own location only, within its scopes, and ends when the token is revoked', async () => {
    const token = await issueToken(harness, location.locationId, ['conversations.readonly']);
    const session = await signIn(token);
    expect(session.body.session).toMatchObject({
      kind: 'location',
      locationId: location.locationId,
      scopes: ['conversations.readonly'],
    });
    const headers = { cookie: session.cookie, 'x-switchboard-csrf': session.csrf };
    const mine = await call(`/conversations/search?locationId=${location.locationId}`, headers);
    expect(mine.status).toBe(200);
    // Naming another location changes nothing: a location session is bound to its own.
    const theirs = await call(`/conversations/search?locationId=${other.locationId}`, {
      ...headers,
      'x-switchboard-location': other.locationId,
    });
    expect(theirs.status).toBe(403);
    expect((await call('/admin/v1/locations', headers)).status).toBe(401);
    const write = await call(
      '/conversations/',
      { ...headers, 'content-type': 'application/json' },
      {
        method: 'POST',
        body: JSON.stringify({ locationId: location.locationId, contactId: 'x' }),
      },
    );
    expect(write.status).toBe(401);

    const tokens = await harness.admin.get(null, `/admin/v1/locations/${location.locationId}/tokens`);
    const row = tokens.body.tokens.find(
      (t: { scopes: string[]; revokedAt: string | null }) => t.scopes.length === 1 && !t.revokedAt,
    );
    expect(
      (await harness.admin.delete(null, `/admin/v1/locations/${location.locationId}/tokens/${row.id}`)).status,
    ).toBe(200);
    expect((await call(`/conversations/search?locationId=${location.locationId}`, headers)).status).toBe(401);
  });

  it('lists locations a page at a time', async () => {
    const first = await harness.admin.get(null, '/admin/v1/locations', { query: { limit: 1 } });
    expect(first.status).toBe(200);
    expect(first.body.locations).toHaveLength(1);
    expect(first.body.nextAfter).toBe(first.body.locations[0].id);
    const second = await harness.admin.get(null, '/admin/v1/locations', {
      query: { limit: 100, after: first.body.nextAfter },
    });
    expect(second.body.locations.map((l: { id: string }) => l.id)).not.toContain(first.body.locations[0].id);
    expect(second.body.nextAfter).toBeNull();
  });

  it('a session ends on its own after eight hours', async () => {
    const clock = new TestClock(Date.now());
    const timed = await startHarness(engine, { clock });
    try {
      const cookie = await adminCookie(timed.baseUrl);
      const session = async () => (await fetch(`${timed.baseUrl}/console/v1/session`, { headers: { cookie } })).status;
      clock.advance(8 * 3600_000 - 1000);
      expect(await session()).toBe(200);
      clock.advance(2000);
      expect(await session()).toBe(401);
    } finally {
      await timed.close();
    }
  });

  it('moving the sandbox clock (CLOCK=virtual) does not sign the console out', async () => {
    const sandbox = await startHarness(engine, { env: { CLOCK: 'virtual' } });
    try {
      const cookie = await adminCookie(sandbox.baseUrl);
      const moved = await sandbox.admin.post(null, '/admin/v1/clock', { advanceMs: 3 * 24 * 3600_000 });
      expect(moved.status).toBe(200);
      const current = await fetch(`${sandbox.baseUrl}/console/v1/session`, { headers: { cookie } });
      expect(current.status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });

  it("keeps a signed-in console's event stream open while the session holds, and ends it at sign-out", async () => {
    // Streams recheck their credentials every REALTIME_AUTH_RECHECK_MS (50 ms here).
    const quick = await startHarness(engine, { env: { REALTIME_AUTH_RECHECK_MS: '50' } });
    try {
      const place = await createLocation(quick);
      for (const token of [ADMIN_TOKEN, place.token]) {
        const signed = await fetch(`${quick.baseUrl}/console/v1/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token }),
        });
        const cookie = (signed.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
        const csrf = ((await signed.json()) as any).session.csrfToken as string;
        const headers = {
          cookie,
          version: '2021-04-15',
          'x-switchboard-csrf': csrf,
          'x-switchboard-location': place.locationId,
        };
        const stream = await SseStream.open(
          `${quick.baseUrl}/conversations/events/stream?locationId=${place.locationId}&follow=true`,
          headers,
        );
        try {
          await stream.next('ready');
          await new Promise((resolve) => setTimeout(resolve, 400));
          expect(stream.events.map((event) => event.event)).toEqual(['ready']);
          expect(stream.ended).toBe(false);
          await fetch(`${quick.baseUrl}/console/v1/session`, { method: 'DELETE', headers });
          const end = await stream.next('end', 0, 3000);
          expect(end.data).toMatchObject({ reason: 'credentials-revoked' });
        } finally {
          stream.close();
        }
      }
    } finally {
      await quick.close();
    }
  });
});
