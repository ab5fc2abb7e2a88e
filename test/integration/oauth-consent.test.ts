// The authorisation-code flow through the consent page, driven as a browser would (plain HTTP, redirects not
// followed): the operator signs in, chooses a location, the browser lands on the app's redirect URI with a code and
// the state, and the app's backend exchanges the code.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createLocation, type TestLocation } from '../helpers/factories.js';
import { ADMIN_TOKEN, type Harness, startHarness } from '../helpers/harness.js';
import { companyLocation, createOAuthApp, REDIRECT_URI, type TestOAuthApp, tokenRequest } from '../helpers/oauth.js';

interface Page {
  status: number;
  headers: Headers;
  text: string;
}

describe.each(ENGINES)('OAuth consent page on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  let app: TestOAuthApp;
  let cookie: string;

  beforeAll(async () => {
    harness = await startHarness(engine);
    location = await createLocation(harness);
    app = await createOAuthApp(harness, { scopes: ['conversations.readonly', 'conversations.write'] });
  });
  afterAll(() => harness?.close());

  async function browse(path: string, init: { method?: string; form?: Record<string, string>; cookie?: string } = {}) {
    const headers: Record<string, string> = {};
    if (init.cookie) headers.cookie = init.cookie;
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(new URL(path, harness.baseUrl), {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
      redirect: 'manual',
    });
    return { status: response.status, headers: response.headers, text: await response.text() } satisfies Page;
  }

  const consentUrl = (params: Record<string, string>) =>
    `/oauth/chooselocation?${new URLSearchParams({
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'conversations.readonly conversations.write',
      ...params,
    })}`;

  /** The hidden fields of the page's consent form. */
  function formFields(page: Page): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const match of page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      fields[match[1] as string] = (match[2] as string).replace(/&amp;/g, '&').replace(/&quot;/g, '"');
    }
    return fields;
  }

  it('asks for the operator’s sign-in first, and takes only the admin token', async () => {
    const url = consentUrl({ state: 'xyz' });
    const anonymous = await browse(url);
    expect(anonymous.status).toBe(200);
    expect(anonymous.text).toContain('Sign in');
    expect(anonymous.text).not.toContain(location.locationId);
    const wrong = await browse('/oauth/session', { form: { token: 'not-the-token', returnTo: url } });
    expect(wrong.status).toBe(401);
    const signedIn = await browse('/oauth/session', { form: { token: ADMIN_TOKEN, returnTo: url } });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe(url);
    const setCookie = signedIn.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    cookie = setCookie.split(';')[0] as string;
    // Never an open redirect.
    const elsewhere = await browse('/oauth/session', {
      form: { token: ADMIN_TOKEN, returnTo: 'https://evil.example' },
    });
    expect(elsewhere.headers.get('location')).toBe('/oauth/chooselocation');
  });

  it('installs the app where the operator chooses, and sends the browser back with a code and the state', async () => {
    const page = await browse(consentUrl({ state: 'state-123' }), { cookie });
    expect(page.status).toBe(200);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.text).toContain(location.locationId);
    const fields = formFields(page);
    expect(fields.csrf).toBeTruthy();
    const approved = await browse('/oauth/chooselocation', {
      cookie,
      form: { ...fields, target: `location:${location.locationId}`, decision: 'allow' },
    });
    expect(approved.status).toBe(302);
    const back = new URL(approved.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
    expect(back.searchParams.get('state')).toBe('state-123');
    const code = back.searchParams.get('code') ?? '';
    expect(code).toMatch(/^[0-9a-f]{40}$/);

    const tokens = await tokenRequest(harness, {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'authorization_code',
      code,
      user_type: 'Location',
      redirect_uri: REDIRECT_URI,
    });
    expect(tokens.status, JSON.stringify(tokens.body)).toBe(200);
    expect(tokens.body).toMatchObject({ userType: 'Location', locationId: location.locationId });
    expect(tokens.body.scope).toBe('conversations.readonly conversations.write');
    const search = await harness
      .client(tokens.body.access_token)
      .get('conversations:search-conversation', '/conversations/search', {
        query: { locationId: location.locationId },
      });
    expect(search.status).toBe(200);
  });

  it('installs on a whole company, and grants no more scopes than asked for', async () => {
    const companyId = `co${randomUUID().slice(0, 8)}`;
    await companyLocation(harness, companyId);
    const page = await browse(consentUrl({ scope: 'conversations.readonly locations.readonly' }), { cookie });
    expect(page.text).toContain(`company:${companyId}`);
    const approved = await browse('/oauth/chooselocation', {
      cookie,
      form: { ...formFields(page), target: `company:${companyId}`, decision: 'allow' },
    });
    const code = new URL(approved.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const tokens = await tokenRequest(harness, {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'authorization_code',
      code,
      user_type: 'Company',
    });
    expect(tokens.body).toMatchObject({ userType: 'Company', companyId, scope: 'conversations.readonly' });
  });

  it('refuses a form without the CSRF token of this session, and anyone not signed in', async () => {
    const fields = formFields(await browse(consentUrl({}), { cookie }));
    const approve = { target: `location:${location.locationId}`, decision: 'allow' };
    const forged = await browse('/oauth/chooselocation', { cookie, form: { ...fields, csrf: 'forged', ...approve } });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('location')).toBeNull();
    const anonymous = await browse('/oauth/chooselocation', { form: { ...fields, ...approve } });
    expect(anonymous.status).toBe(401);
    // Another session's form does not pass in this one.
    const other = await browse('/oauth/session', { form: { token: ADMIN_TOKEN } });
    const otherCookie = (other.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const mismatched = await browse('/oauth/chooselocation', { cookie: otherCookie, form: { ...fields, ...approve } });
    expect(mismatched.status).toBe(403);
    const tampered = await browse('/oauth/chooselocation', { cookie: `${cookie}x`, form: { ...fields, ...approve } });
    expect(tampered.status).toBe(401);
  });

  it('never sends a code to a redirect URI the app did not register', async () => {
    const evil = await browse(consentUrl({ redirect_uri: 'https://evil.example.com/cb' }), { cookie });
    expect(evil.status).toBe(400);
    expect(evil.headers.get('location')).toBeNull();
    expect(evil.text).toContain('redirect_uri');
    const prefix = await browse(consentUrl({ redirect_uri: `${REDIRECT_URI}/more` }), { cookie });
    expect(prefix.status).toBe(400);
    const fields = formFields(await browse(consentUrl({}), { cookie }));
    const swapped = await browse('/oauth/chooselocation', {
      cookie,
      form: {
        ...fields,
        redirect_uri: 'https://evil.example.com/cb',
        target: `location:${location.locationId}`,
        decision: 'allow',
      },
    });
    expect(swapped.status).toBe(400);
    expect(swapped.headers.get('location')).toBeNull();
    const unknown = await browse(consentUrl({ client_id: 'nope-12345678' }), { cookie });
    expect(unknown.status).toBe(400);
  });

  it('answers a denial, or a request for scopes the app has none of, at the redirect URI with the state', async () => {
    const fields = formFields(await browse(consentUrl({ state: 's1' }), { cookie }));
    const denied = await browse('/oauth/chooselocation', { cookie, form: { ...fields, decision: 'deny' } });
    const back = new URL(denied.headers.get('location') ?? '');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('s1');
    expect(back.searchParams.get('code')).toBeNull();
    const scopeless = await browse(consentUrl({ scope: 'contacts.write', state: 's2' }), { cookie });
    const refused = new URL(scopeless.headers.get('location') ?? '');
    expect(refused.searchParams.get('error')).toBe('invalid_scope');
    expect(refused.searchParams.get('state')).toBe('s2');
  });

  it('keeps the operator signed in when the sandbox clock (CLOCK=virtual) moves, as the console does', async () => {
    const sandbox = await startHarness(engine, { env: { CLOCK: 'virtual' } });
    try {
      const place = await createLocation(sandbox);
      const client = await createOAuthApp(sandbox, { scopes: ['conversations.readonly'] });
      const url = `/oauth/chooselocation?${new URLSearchParams({
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: REDIRECT_URI,
        scope: 'conversations.readonly',
      })}`;
      const signedIn = await fetch(new URL('/oauth/session', sandbox.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: ADMIN_TOKEN, returnTo: url }).toString(),
        redirect: 'manual',
      });
      expect(signedIn.status).toBe(303);
      const operator = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
      // Past the session's twelve hours of sandbox time: the operator, in real time, signed in a moment ago.
      const moved = await sandbox.admin.post(null, '/admin/v1/clock', { advanceMs: 3 * 24 * 3600_000 });
      expect(moved.status).toBe(200);
      const page = await fetch(new URL(url, sandbox.baseUrl), { headers: { cookie: operator }, redirect: 'manual' });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(place.locationId);
    } finally {
      await sandbox.close();
    }
  });

  it('takes the admin token as a bearer token, for headless use', async () => {
    const response = await fetch(new URL(consentUrl({}), harness.baseUrl), {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      redirect: 'manual',
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(location.locationId);
  });
});
