// OAuth apps in tests: an app with client credentials and a redirect URI, codes from the admin API, and the token
// endpoint called as an integrator's backend calls it (form-encoded, unless told otherwise).
import { randomUUID } from 'node:crypto';
import type { Harness, Response } from './harness.js';

export const REDIRECT_URI = 'https://app.example.com/oauth/callback';

export interface TestOAuthApp {
  appId: string;
  clientId: string;
  clientSecret: string;
}

export async function createOAuthApp(harness: Harness, fields: Record<string, unknown> = {}): Promise<TestOAuthApp> {
  const created = await harness.admin.post(null, '/admin/v1/apps', {
    name: `OAuth app ${randomUUID().slice(0, 8)}`,
    redirectUris: [REDIRECT_URI],
    ...fields,
  });
  if (created.status !== 201) throw new Error(`app: ${created.status} ${JSON.stringify(created.body)}`);
  return { appId: created.body.app.id, clientId: created.body.app.clientId, clientSecret: created.body.clientSecret };
}

/** A code from the admin API's headless authorisation (`locationId` or `companyId`, and the rest). */
export async function authorize(harness: Harness, app: TestOAuthApp, body: Record<string, unknown>): Promise<string> {
  const issued = await harness.admin.post(null, `/admin/v1/apps/${app.appId}/authorizations`, body);
  if (issued.status !== 201) throw new Error(`authorization: ${issued.status} ${JSON.stringify(issued.body)}`);
  return issued.body.code as string;
}

/** POST /oauth/token, form-encoded (as the SDK sends it) or as JSON. */
export async function tokenRequest(
  harness: Harness,
  fields: Record<string, string | undefined>,
  options: { json?: boolean; raw?: boolean; headers?: Record<string, string> } = {},
): Promise<Response> {
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
  const body = options.json ? JSON.stringify(defined) : new URLSearchParams(defined).toString();
  return harness.admin.request('POST', options.raw ? null : 'oauth:get-access-token', '/oauth/token', {
    body,
    headers: {
      authorization: undefined,
      'content-type': options.json ? 'application/json' : 'application/x-www-form-urlencoded',
      ...options.headers,
    },
  });
}

/** Exchanges a code for tokens, as an app's backend does after the redirect. */
export async function exchangeCode(harness: Harness, app: TestOAuthApp, code: string, userType = 'Location') {
  const response = await tokenRequest(harness, {
    client_id: app.clientId,
    client_secret: app.clientSecret,
    grant_type: 'authorization_code',
    code,
    user_type: userType,
    redirect_uri: REDIRECT_URI,
  });
  if (response.status !== 200) throw new Error(`token: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as {
    access_token: string;
    refresh_token: string;
    expires_in: number;
    scope: string;
    userType: string;
    locationId?: string;
    companyId?: string;
    userId: string;
  };
}

export async function refresh(harness: Harness, app: TestOAuthApp, refreshToken: string, userType = 'Location') {
  return tokenRequest(harness, {
    client_id: app.clientId,
    client_secret: app.clientSecret,
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    user_type: userType,
  });
}

/** A location installation: the app authorised on the location, and its first tokens. */
export async function installOnLocation(harness: Harness, app: TestOAuthApp, locationId: string, scopes?: string[]) {
  const code = await authorize(harness, app, { locationId, redirectUri: REDIRECT_URI, ...(scopes ? { scopes } : {}) });
  return exchangeCode(harness, app, code);
}

export function decodeJwt(token: string): { header: Record<string, any>; payload: Record<string, any> } {
  const [header = '', payload = ''] = token.split('.');
  const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  return { header: decode(header), payload: decode(payload) };
}

/** A location of a company, made through the admin API. */
export async function companyLocation(harness: Harness, companyId: string, name = 'Branch'): Promise<string> {
  const created = await harness.admin.post(null, '/admin/v1/locations', { name, companyId });
  if (created.status !== 201) throw new Error(`location: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.location.id as string;
}
