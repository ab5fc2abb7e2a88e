// The console's session layer: a browser signs in once with the admin token or a location's private integration
// token and gets an HttpOnly, SameSite=Strict cookie; on any API route, that cookie then stands in for the bearer
// token, but only on requests that also carry the session's CSRF token in the x-switchboard-csrf header (a header no
// other site can make a browser send). Sessions live in the database (console_sessions): signing out, revoking the
// location token or changing the admin token ends them everywhere. docs/console.md tells the whole story.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService } from '../domain/auth.js';
import type { Clock } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import { hashToken, isPrivateIntegrationToken } from '../domain/ids.js';
import { SCOPES } from '../domain/scopes.js';
import type { Store } from '../store/database.js';
import {
  type ConsoleSessionRow,
  deleteConsoleSession,
  deleteExpiredConsoleSessions,
  findConsoleSession,
  insertConsoleSession,
} from '../store/repositories/console-sessions.js';
import { findLocation } from '../store/repositories/locations.js';
import { findActiveTokenByHash } from '../store/repositories/tokens.js';
import type { AuthContext } from './access.js';

export const CONSOLE_COOKIE = 'switchboard_console';
export const CSRF_HEADER = 'x-switchboard-csrf';
/** Which location an admin session acts on, for the location routes of the public API. */
export const LOCATION_HEADER = 'x-switchboard-location';
export const CONSOLE_SESSION_TTL_MS = 8 * 3600 * 1000;

/** What the console is told about its session (never the token it signed in with). */
export interface ConsoleSessionView {
  kind: 'admin' | 'location';
  locationId: string | null;
  scopes: string[];
  csrfToken: string;
  expiresAt: string;
}

/** What a session cookie proves on one request. */
export type ConsoleCredential =
  | { kind: 'admin'; session: ConsoleSessionRow }
  | { kind: 'location'; context: AuthContext };

interface LiveSession {
  row: ConsoleSessionRow;
  /** The location token's scopes (every scope for the admin). */
  scopes: string[];
  tokenId: string | null;
  appId: string | null;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

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

export class ConsoleSessions {
  constructor(private readonly deps: { store: Store; clock: Clock; auth: AuthService; secureCookies: boolean }) {}

  /** Signs in with the admin token or a location's private integration token; a wrong token makes no session. */
  async signIn(token: string): Promise<{ secret: string; view: ConsoleSessionView }> {
    const { store, clock, auth } = this.deps;
    const now = clock.now();
    let row: Omit<ConsoleSessionRow, 'id_hash' | 'csrf_token'>;
    let scopes: string[] = [...SCOPES];
    if (await auth.isAdminToken(token)) {
      row = { kind: 'admin', token_hash: hashToken(token), location_id: null, created_at: now, expires_at: 0 };
    } else {
      const tokenRow = isPrivateIntegrationToken(token)
        ? await findActiveTokenByHash(store.db, hashToken(token))
        : undefined;
      if (!tokenRow) {
        throw new DomainError(
          'ADMIN_TOKEN_INVALID',
          'This token is neither the admin token nor a live private integration token of a location.',
        );
      }
      scopes = JSON.parse(tokenRow.scopes) as string[];
      row = {
        kind: 'location',
        token_hash: tokenRow.token_hash,
        location_id: tokenRow.location_id,
        created_at: now,
        expires_at: 0,
      };
    }
    const secret = randomBytes(32).toString('base64url');
    const full: ConsoleSessionRow = {
      ...row,
      id_hash: hashToken(secret),
      csrf_token: randomBytes(24).toString('base64url'),
      expires_at: now + CONSOLE_SESSION_TTL_MS,
    };
    await deleteExpiredConsoleSessions(store.db, now);
    await insertConsoleSession(store.db, full);
    return { secret, view: this.view(full, scopes) };
  }

  /** The live session a cookie names: unexpired, and the token it was made from still in force. */
  private async live(secret: string | null): Promise<LiveSession | null> {
    if (!secret) return null;
    const { store, clock, auth } = this.deps;
    const row = await findConsoleSession(store.db, hashToken(secret), clock.now());
    if (!row) return null;
    if (row.kind === 'admin') {
      const digest = await auth.adminTokenDigest();
      return digest && sameText(digest, row.token_hash)
        ? { row, scopes: [...SCOPES], tokenId: null, appId: null }
        : null;
    }
    const token = await findActiveTokenByHash(store.db, row.token_hash);
    if (!token || token.location_id !== row.location_id) return null;
    return { row, scopes: JSON.parse(token.scopes) as string[], tokenId: token.id, appId: token.app_id };
  }

  private view(row: ConsoleSessionRow, scopes: string[]): ConsoleSessionView {
    return {
      kind: row.kind,
      locationId: row.location_id,
      scopes,
      csrfToken: row.csrf_token,
      expiresAt: new Date(row.expires_at).toISOString(),
    };
  }

  /** The session of this request's cookie, for the console to learn its CSRF token after a reload. */
  async current(request: FastifyRequest): Promise<ConsoleSessionView | null> {
    const session = await this.live(cookieOf(request));
    return session ? this.view(session.row, session.scopes) : null;
  }

  /** Ends the cookie's session (a request that proved it with the CSRF header: no other site can sign anyone out). */
  async signOut(request: FastifyRequest): Promise<void> {
    const secret = cookieOf(request);
    const session = await this.live(secret);
    if (secret && session && this.csrfMatches(request, session.row)) {
      await deleteConsoleSession(this.deps.store.db, hashToken(secret));
    }
  }

  private csrfMatches(request: FastifyRequest, row: ConsoleSessionRow): boolean {
    const sent = header(request, CSRF_HEADER);
    return sent !== null && sameText(sent, row.csrf_token);
  }

  /**
   * What the cookie proves on an API request without a bearer token: nothing without the CSRF header. An admin
   * session acts on location routes as the location named by the x-switchboard-location header, with every scope.
   */
  async credential(request: FastifyRequest, forLocationRoute: boolean): Promise<ConsoleCredential | null> {
    if (!request.headers.cookie) return null;
    const session = await this.live(cookieOf(request));
    if (!session || !this.csrfMatches(request, session.row)) return null;
    const { row } = session;
    if (row.kind === 'admin' && !forLocationRoute) return { kind: 'admin', session: row };
    let locationId = row.location_id;
    if (row.kind === 'admin') {
      locationId = header(request, LOCATION_HEADER);
      if (!locationId)
        throw new DomainError('BAD_REQUEST', `Name the location to act on in the ${LOCATION_HEADER} header`);
      if (!(await findLocation(this.deps.store.db, locationId)))
        throw new DomainError('NOT_FOUND', 'Location not found');
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

  setCookie(reply: FastifyReply, secret: string) {
    const secure = this.deps.secureCookies ? '; Secure' : '';
    const maxAge = CONSOLE_SESSION_TTL_MS / 1000;
    reply.header(
      'set-cookie',
      `${CONSOLE_COOKIE}=${secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`,
    );
  }

  clearCookie(reply: FastifyReply) {
    const secure = this.deps.secureCookies ? '; Secure' : '';
    reply.header('set-cookie', `${CONSOLE_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure}`);
  }
}
