// Resolves bearer tokens (private integration tokens, OAuth JWTs) to who is calling, and checks the admin token.
import { timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/database.js';
import { findActiveTokenByHash, getSetting } from '../store/repositories/tokens.js';
import type { AuthContext, Credential } from './credentials.js';
import { hashToken, isPrivateIntegrationToken } from './ids.js';

export const ADMIN_TOKEN_SETTING = 'admin_token_sha256';

/** Verifies OAuth access tokens (JWTs): src/domain/oauth/access-tokens.ts. */
export interface JwtAuthenticator {
  authenticate(token: string): Promise<Credential | null>;
}

/** Three base64url segments: a JWT, never a private integration token. */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/**
 * Tokens this process authenticated recently. An entry holds while no write to api_tokens or locations has been
 * sent since it was read (any revocation through this process retires every entry at once), and for at most
 * TOKEN_CACHE_MS: the bound on seeing a revocation made by another server sharing a PostgreSQL database.
 */
const TOKEN_CACHE_MS = 1000;
const TOKEN_CACHE_SIZE = 10_000;

interface CachedToken {
  context: AuthContext;
  writes: number;
  until: number;
}

export class AuthService {
  private readonly tokens = new Map<string, CachedToken>();

  constructor(
    private readonly store: Store,
    private readonly configuredAdminToken: string | null,
    private readonly jwts?: JwtAuthenticator,
  ) {}

  /** A private integration token's location, or what an OAuth access token proves (a location or a company). */
  async authenticate(token: string): Promise<Credential | null> {
    if (JWT_SHAPE.test(token)) return this.jwts ? this.jwts.authenticate(token) : null;
    if (!isPrivateIntegrationToken(token)) return null;
    const hash = hashToken(token);
    // Read before the lookup: a write that lands while it runs makes the entry stale at once.
    const writes = this.authWrites();
    const cached = this.tokens.get(hash);
    if (cached && cached.writes === writes && cached.until > performance.now()) return { ...cached.context };
    const row = await findActiveTokenByHash(this.store.db, hash);
    if (!row) {
      this.tokens.delete(hash);
      return null;
    }
    const context: AuthContext = {
      tokenId: row.id,
      locationId: row.location_id,
      scopes: new Set(JSON.parse(row.scopes) as string[]),
      appId: row.app_id,
    };
    if (writes !== undefined && writes === this.authWrites()) {
      this.tokens.delete(hash);
      this.tokens.set(hash, { context, writes, until: performance.now() + TOKEN_CACHE_MS });
      if (this.tokens.size > TOKEN_CACHE_SIZE) this.tokens.delete(this.tokens.keys().next().value as string);
    }
    return { ...context };
  }

  /** Writes sent so far to the tables a token's validity depends on; undefined when the store does not count. */
  private authWrites(): number | undefined {
    const writes = this.store.writes;
    return writes ? writes.count('api_tokens') + writes.count('locations') : undefined;
  }

  /** The digest of the admin token in force (configured, or generated at first start); undefined: none yet. */
  async adminTokenDigest(): Promise<string | undefined> {
    return this.configuredAdminToken
      ? hashToken(this.configuredAdminToken)
      : await getSetting(this.store.db, ADMIN_TOKEN_SETTING);
  }

  async isAdminToken(token: string | null): Promise<boolean> {
    if (!token) return false;
    const expected = await this.adminTokenDigest();
    if (!expected) return false;
    return timingSafeEqual(Buffer.from(hashToken(token)), Buffer.from(expected));
  }
}
