// Resolves bearer tokens to an authenticated location context, and checks the operators' admin token.
import { timingSafeEqual } from 'node:crypto';
import type { AuthContext } from '../http/access.js';
import type { Store } from '../store/database.js';
import { findActiveTokenByHash, getSetting } from '../store/repositories/tokens.js';
import { hashToken, isPrivateIntegrationToken } from './ids.js';

export const ADMIN_TOKEN_SETTING = 'admin_token_sha256';

export class AuthService {
  constructor(
    private readonly store: Store,
    private readonly configuredAdminToken: string | null,
  ) {}

  async authenticate(token: string): Promise<AuthContext | null> {
    // OAuth access tokens (JWTs) arrive with the OAuth issue; until then only private integration tokens exist.
    if (!isPrivateIntegrationToken(token)) return null;
    const row = await findActiveTokenByHash(this.store.db, hashToken(token));
    if (!row) return null;
    return { tokenId: row.id, locationId: row.location_id, scopes: new Set(JSON.parse(row.scopes) as string[]) };
  }

  async isAdminToken(token: string | null): Promise<boolean> {
    if (!token) return false;
    const expected = this.configuredAdminToken
      ? hashToken(this.configuredAdminToken)
      : await getSetting(this.store.db, ADMIN_TOKEN_SETTING);
    if (!expected) return false;
    return timingSafeEqual(Buffer.from(hashToken(token)), Buffer.from(expected));
  }
}
