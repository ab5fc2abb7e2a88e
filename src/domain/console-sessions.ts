// Console sessions as use cases: signing in with the admin token or a location's private integration token, finding
// the live session a cookie's secret names (unexpired, its token still in force), signing out. The cookie and the
// CSRF header that carry them are src/http/console-session.ts.
import { randomBytes, timingSafeEqual } from 'node:crypto';
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
import type { AuthService } from './auth.js';
import type { Clock } from './clock.js';
import { DomainError } from './errors.js';
import { hashToken, isPrivateIntegrationToken } from './ids.js';
import { SCOPES } from './scopes.js';

export const CONSOLE_SESSION_TTL_MS = 8 * 3600 * 1000;

export interface LiveConsoleSession {
  row: ConsoleSessionRow;
  /** The location token's scopes (every scope for the admin). */
  scopes: string[];
  tokenId: string | null;
  appId: string | null;
}

export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class ConsoleSessionService {
  constructor(private readonly deps: { store: Store; clock: Clock; auth: AuthService }) {}

  /** A new session for the admin token or a live private integration token; a wrong token makes none. */
  async signIn(token: string): Promise<{ secret: string; session: LiveConsoleSession }> {
    const { store, clock, auth } = this.deps;
    const now = clock.now();
    const base = {
      created_at: now,
      expires_at: now + CONSOLE_SESSION_TTL_MS,
      csrf_token: randomBytes(24).toString('base64url'),
    };
    let session: Omit<LiveConsoleSession, 'row'> & { row: Omit<ConsoleSessionRow, 'id_hash'> };
    if (await auth.isAdminToken(token)) {
      session = {
        row: { ...base, kind: 'admin', token_hash: hashToken(token), location_id: null },
        scopes: [...SCOPES],
        tokenId: null,
        appId: null,
      };
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
      session = {
        row: { ...base, kind: 'location', token_hash: tokenRow.token_hash, location_id: tokenRow.location_id },
        scopes: JSON.parse(tokenRow.scopes) as string[],
        tokenId: tokenRow.id,
        appId: tokenRow.app_id,
      };
    }
    const secret = randomBytes(32).toString('base64url');
    const row: ConsoleSessionRow = { ...session.row, id_hash: hashToken(secret) };
    await store.unit(async ({ db }) => {
      await deleteExpiredConsoleSessions(db, now);
      await insertConsoleSession(db, row);
    });
    return { secret, session: { ...session, row } };
  }

  /** The live session a cookie's secret names: unexpired, and the token it was made from still in force. */
  async find(secret: string | null): Promise<LiveConsoleSession | null> {
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

  async signOut(secret: string): Promise<void> {
    await this.deps.store.unit(({ db }) => deleteConsoleSession(db, hashToken(secret)));
  }

  /** Whether a location exists, for an admin session that names one to act on. */
  async locationExists(locationId: string): Promise<boolean> {
    return (await findLocation(this.deps.store.db, locationId)) !== undefined;
  }
}
