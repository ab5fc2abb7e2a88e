// OAuth access tokens: JWTs with HighLevel's claims (authClass, authClassId, oauthMeta.scopes, oauthMeta.client,
// …), valid 86,399 s; and the check the request pipeline makes of one on every request.

import type { Store } from '../../store/database.js';
import { grantStanding } from '../../store/repositories/oauth.js';
import type { Clock } from '../clock.js';
import type { AuthContext, CompanyContext } from '../credentials.js';
import type { OAuthSigningKey } from './signing-key.js';

/** HighLevel's access tokens live a second short of a day. */
export const ACCESS_TOKEN_SECONDS = 86_399;

export type AuthClass = 'Location' | 'Company';

export interface AccessTokenSubject {
  /** The grant the token is made from: revoking it ends the token. */
  grantId: string;
  appId: string;
  clientId: string;
  authClass: AuthClass;
  /** The location id (Location) or the company id (Company). */
  authClassId: string;
  scopes: string[];
}

interface Claims {
  authClass: AuthClass;
  authClassId: string;
  grantId: string;
  scopes: string[];
  client: string;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The claims Switchboard needs from a verified token, or null when any is missing or malformed. */
function claimsOf(payload: Record<string, unknown>): Claims | null {
  const { authClass, authClassId, grantId, oauthMeta } = payload;
  if (authClass !== 'Location' && authClass !== 'Company') return null;
  if (typeof authClassId !== 'string' || typeof grantId !== 'string') return null;
  if (oauthMeta === null || typeof oauthMeta !== 'object') return null;
  const { scopes, client } = oauthMeta as Record<string, unknown>;
  if (!isStringArray(scopes) || typeof client !== 'string') return null;
  return { authClass, authClassId, grantId, scopes, client };
}

export class OAuthAccessTokens {
  constructor(private readonly deps: { store: Store; clock: Clock; key: OAuthSigningKey }) {}

  issue(subject: AccessTokenSubject): Promise<string> {
    const claims = {
      authClass: subject.authClass,
      authClassId: subject.authClassId,
      source: 'INTEGRATION',
      sourceId: subject.clientId,
      channel: 'OAUTH',
      primaryAuthClassId: subject.authClassId,
      oauthMeta: {
        scopes: subject.scopes,
        client: subject.appId,
        clientKey: subject.clientId,
        versionId: subject.appId,
      },
      grantId: subject.grantId,
    };
    return this.deps.key.sign(claims, this.deps.clock.now(), ACCESS_TOKEN_SECONDS);
  }

  /**
   * What a bearer JWT proves, or null ("Invalid JWT"): it must carry this server's signature, be unexpired by the
   * server's clock, and come from a grant that stands, of an app still installed on the token's location.
   */
  async authenticate(token: string): Promise<AuthContext | CompanyContext | null> {
    const { store, clock, key } = this.deps;
    const payload = await key.verify(token, clock.now());
    const claims = payload ? claimsOf(payload) : null;
    if (!claims) return null;
    const locationId = claims.authClass === 'Location' ? claims.authClassId : null;
    const standing = await grantStanding(store.db, claims.grantId, locationId);
    if (!standing || standing.revoked_at !== null || standing.app_id !== claims.client) return null;
    const scopes = new Set(claims.scopes);
    if (locationId === null) {
      return {
        authClass: 'Company',
        tokenId: claims.grantId,
        companyId: claims.authClassId,
        scopes,
        appId: claims.client,
      };
    }
    if (standing.installed_location === null) return null;
    return { tokenId: claims.grantId, locationId, scopes, appId: claims.client };
  }
}
