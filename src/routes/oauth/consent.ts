// The consent page, at HighLevel's marketplace URL shape: GET /oauth/chooselocation?response_type=code&client_id=…
// &redirect_uri=…&scope=…&state=… shows the operator where the app can be installed; the POST installs it and sends
// the browser back to the app's redirect URI with a code and the state. Only the operator may approve (the admin
// token, or a session made with it), every form carries a CSRF token, and a code only ever goes to a redirect URI the
// app registered, exactly as registered.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { appRedirectUris, appScopes, parseScopeParameter } from '../../domain/oauth/authorizations.js';
import { cookieValue, type OperatorProof, SESSION_COOKIE } from '../../domain/oauth/operator-session.js';
import { consentPage, errorPage, signInPage } from '../../presenters/oauth-pages.js';
import type { Services } from '../../services.js';
import type { AppRecord } from '../../store/repositories/apps.js';
import type { Route } from '../route.js';

type Params = Record<string, unknown>;

const CONSENT_PATH = '/oauth/chooselocation';

/** Pages that hold a code's way home: never cached, never framed, never leaking their URL onwards. */
function html(reply: FastifyReply, status: number, body: string) {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    .send(body);
}

/** A form or JSON body as parameters; anything but an object names none. */
const paramsOf = (body: unknown): Params =>
  body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Params) : {};

const text = (params: Params, name: string): string | undefined => {
  const value = params[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

function bearerOf(request: FastifyRequest): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1] ?? null;
}

/** The app and the redirect URI of an authorisation request, or why none: never redirect anywhere unregistered. */
async function client(services: Services, params: Params): Promise<{ app: AppRecord; redirectUri: string } | string> {
  const clientId = text(params, 'client_id');
  if (!clientId) return 'Missing parameter: `client_id`';
  const app = await services.oauth.authorizations.clientApp(clientId);
  if (!app) return 'Invalid client: client is invalid';
  const registered = appRedirectUris(app);
  const asked = text(params, 'redirect_uri');
  if (asked === undefined) {
    if (registered.length === 1 && registered[0]) return { app, redirectUri: registered[0] };
    return 'Missing parameter: `redirect_uri`';
  }
  return registered.includes(asked) ? { app, redirectUri: asked } : 'Invalid request: `redirect_uri` is invalid';
}

/** The redirect URI with the answer's parameters added to its own. */
function back(redirectUri: string, answer: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(answer)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

export function consentRoutes(services: Services): Route[] {
  const { operators } = services.oauth;

  async function proofOf(request: FastifyRequest): Promise<OperatorProof | null> {
    return operators.proof(cookieValue(request.headers.cookie, SESSION_COOKIE), bearerOf(request));
  }

  return [
    {
      method: 'GET',
      url: CONSENT_PATH,
      access: { kind: 'public' },
      handler: async (request: FastifyRequest<{ Querystring: Params }>, reply) => {
        const proof = await proofOf(request);
        if (!proof) return html(reply, 200, signInPage(request.url));
        const params = request.query;
        const found = await client(services, params);
        if (typeof found === 'string') return html(reply, 400, errorPage(found));
        const state = text(params, 'state');
        if (text(params, 'response_type') !== 'code') {
          return reply.redirect(back(found.redirectUri, { error: 'unsupported_response_type', state }), 302);
        }
        const scope = text(params, 'scope');
        const asked = parseScopeParameter(scope);
        const held = appScopes(found.app);
        const scopes = asked ? held.filter((s) => asked.includes(s)) : held;
        if (scopes.length === 0) return reply.redirect(back(found.redirectUri, { error: 'invalid_scope', state }), 302);
        const locations = await services.locations.listLocations();
        const fields: Record<string, string> = {
          client_id: text(params, 'client_id') ?? '',
          redirect_uri: found.redirectUri,
          csrf: await operators.csrfToken(proof),
        };
        if (scope !== undefined) fields.scope = scope;
        if (state !== undefined) fields.state = state;
        const view = locations.map((l) => ({ id: l.id, name: l.name, companyId: l.company_id }));
        return html(reply, 200, consentPage({ appName: found.app.name, scopes, locations: view, fields }));
      },
    },
    {
      method: 'POST',
      url: CONSENT_PATH,
      access: { kind: 'public' },
      accepts: 'form',
      handler: async (request, reply) => {
        const proof = await proofOf(request);
        if (!proof) return html(reply, 401, errorPage('Sign in as the operator first.'));
        const params = paramsOf(request.body);
        if (!(await operators.csrfMatches(proof, params.csrf))) {
          return html(reply, 403, errorPage('This form has expired: open the install link again.'));
        }
        const found = await client(services, params);
        if (typeof found === 'string') return html(reply, 400, errorPage(found));
        const state = text(params, 'state');
        if (text(params, 'decision') !== 'allow') {
          return reply.redirect(back(found.redirectUri, { error: 'access_denied', state }), 302);
        }
        const [kind, targetId] = (text(params, 'target') ?? '').split(/:(.*)/s);
        if ((kind !== 'location' && kind !== 'company') || !targetId) {
          return html(reply, 400, errorPage('Choose a location or a company to install the app on.'));
        }
        try {
          const issued = await services.oauth.authorizations.authorize({
            app: found.app,
            userType: kind === 'location' ? 'Location' : 'Company',
            targetId,
            scopes: parseScopeParameter(text(params, 'scope')),
            redirectUri: found.redirectUri,
          });
          return reply.redirect(back(found.redirectUri, { code: issued.code, state }), 302);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          if (error.code === 'BAD_REQUEST') {
            return reply.redirect(back(found.redirectUri, { error: 'invalid_scope', state }), 302);
          }
          return html(reply, 400, errorPage(error.message));
        }
      },
    },
    {
      // The operator's sign-in: the admin token, once, for a session cookie scoped to /oauth.
      method: 'POST',
      url: '/oauth/session',
      access: { kind: 'public' },
      accepts: 'form',
      handler: async (request, reply) => {
        const params = paramsOf(request.body);
        const requested = text(params, 'returnTo') ?? CONSENT_PATH;
        // Only ever back to the consent page: never an open redirect.
        const returnTo =
          requested.startsWith(`${CONSENT_PATH}?`) || requested === CONSENT_PATH ? requested : CONSENT_PATH;
        if (!(await operators.isAdminToken(text(params, 'token') ?? null))) {
          return html(reply, 401, signInPage(returnTo, 'That is not the admin token.'));
        }
        const session = await operators.newSession();
        const secure = services.config.publicUrl.startsWith('https:') ? '; Secure' : '';
        reply.header(
          'set-cookie',
          `${SESSION_COOKIE}=${session.value}; Path=/oauth; HttpOnly; SameSite=Lax; Max-Age=${session.maxAgeSeconds}${secure}`,
        );
        return reply.redirect(returnTo, 303);
      },
    },
  ];
}
