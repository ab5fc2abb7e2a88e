// The console's session layer on HTTP: the session cookie (HttpOnly, SameSite=Strict, expiring) stands in for the
// bearer token on any API route, but only on requests that also carry the session's CSRF token in the
// x-switchboard-csrf header (a header no other site can make a browser send). An admin session acts on the public
// API as the location named by x-switchboard-location. The sessions themselves: src/domain/console-sessions.ts;
// the whole story: docs/console.md.
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CONSOLE_SESSION_TTL_MS,
  type ConsoleSessionService,
  type LiveConsoleSession,
  sameText,
} from '../domain/console-sessions.js';
import type { AuthContext } from '../domain/credentials.js';
import { DomainError } from '../domain/errors.js';

export const CONSOLE_COOKIE = 'switchboard_console';
export const CSRF_HEADER = 'x-switchboard-csrf';
export const LOCATION_HEADER = 'x-switchboard-location';

/** What the console is told about its session (never the token it signed in with). */
export interface ConsoleSessionView {
  kind: 'admin' | 'location';
  locationId: string | null;
  scopes: string[];
  csrfToken: string;
  expiresAt: string;
}

/** What a session cookie proves on one request. */
export type ConsoleCredential = { kind: 'admin' } | { kind: 'location'; context: AuthContext };

function cookieOf(request: FastifyRequest): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === CONSOLE_COOKIE) return rest.join('=') || null;
  }
  return null;
}

function header(request: FastifyRequest, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

function present(session: LiveConsoleSession): ConsoleSessionView {
  return {
    kind: session.row.kind,
    locationId: session.row.location_id,
    scopes: session.scopes,
    csrfToken: session.row.csrf_token,
    expiresAt: new Date(session.row.expires_at).toISOString(),
  };
}

export class ConsoleSessions {
  constructor(
    private readonly sessions: ConsoleSessionService,
    private readonly secureCookies: boolean,
  ) {}

  /** Signs in and sets the cookie; a wrong token throws before any cookie is set. */
  async signIn(reply: FastifyReply, token: string): Promise<ConsoleSessionView> {
    const { secret, session } = await this.sessions.signIn(token);
    reply.header('set-cookie', this.cookie(secret, CONSOLE_SESSION_TTL_MS / 1000));
    return present(session);
  }

  /** The session of this request's cookie, for a reloaded page to learn its CSRF token (same-origin reads only). */
  async current(request: FastifyRequest): Promise<ConsoleSessionView | null> {
    const session = await this.sessions.find(cookieOf(request));
    return session ? present(session) : null;
  }

  /** Ends the cookie's session when the request proves it with the CSRF header, and clears the cookie. */
  async signOut(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const secret = cookieOf(request);
    const session = await this.sessions.find(secret);
    if (secret && session && this.csrfMatches(request, session)) await this.sessions.signOut(secret);
    reply.header('set-cookie', this.cookie('', 0));
  }

  private csrfMatches(request: FastifyRequest, session: LiveConsoleSession): boolean {
    const sent = header(request, CSRF_HEADER);
    return sent !== null && sameText(sent, session.row.csrf_token);
  }

  /** What the cookie proves on an API request that has no bearer token: nothing without the CSRF header. */
  async credential(request: FastifyRequest, forLocationRoute: boolean): Promise<ConsoleCredential | null> {
    if (!request.headers.cookie) return null;
    const session = await this.sessions.find(cookieOf(request));
    if (!session || !this.csrfMatches(request, session)) return null;
    const { row } = session;
    if (row.kind === 'admin' && !forLocationRoute) return { kind: 'admin' };
    let locationId = row.location_id;
    if (row.kind === 'admin') {
      locationId = header(request, LOCATION_HEADER);
      if (!locationId)
        throw new DomainError('BAD_REQUEST', `Name the location to act on in the ${LOCATION_HEADER} header`);
      if (!(await this.sessions.locationExists(locationId))) throw new DomainError('NOT_FOUND', 'Location not found');
    }
    if (!locationId) return null;
    return {
      kind: 'location',
      context: {
        tokenId: session.tokenId ?? `console:${row.id_hash.slice(0, 16)}`,
        locationId,
        scopes: new Set(session.scopes),
        appId: session.appId,
      },
    };
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    const secure = this.secureCookies ? '; Secure' : '';
    return `${CONSOLE_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
  }
}
