// POST /oauth/token and POST /oauth/locationToken: authorisation codes and rotating refresh tokens exchanged for
// access tokens, and location tokens minted from a company's. Messages are those of HighLevel's OAuth server.
import { randomBytes } from 'node:crypto';
import type { Store } from '../../store/database.js';
import type { AppRecord } from '../../store/repositories/apps.js';
import { isAppInstalled } from '../../store/repositories/apps.js';
import { findLocation } from '../../store/repositories/locations.js';
import {
  companyLocations,
  findCode,
  findGrant,
  findRefreshToken,
  type GrantRow,
  insertGrant,
  insertRefreshToken,
  recordCodeGrant,
  revokeGrant,
  spendCode,
  spendRefreshToken,
} from '../../store/repositories/oauth.js';
import type { Clock } from '../clock.js';
import type { CompanyContext } from '../credentials.js';
import { DomainError } from '../errors.js';
import { hashToken, newId } from '../ids.js';
import type { AuthClass, OAuthAccessTokens } from './access-tokens.js';
import { appRedirectUris, appScopes, type OAuthAuthorizations } from './authorizations.js';
import { secretMatches } from './clients.js';
import { invalidParameter, type TokenRequest } from './token-request.js';

/** Refresh tokens live a year (each use replaces it with a new one, valid a year again). */
export const REFRESH_TOKEN_TTL_MS = 365 * 24 * 3600 * 1000;

const invalidRefresh = () => new DomainError('BAD_REQUEST', 'Invalid grant: refresh token is invalid');
const invalidCode = () => new DomainError('BAD_REQUEST', 'Invalid grant: authorization code is invalid');

/** What an exchange hands out: the grant, its new refresh token and access token. */
export interface IssuedTokens {
  grant: GrantRow;
  accessToken: string;
  refreshToken: string;
  scopes: string[];
  /** Company grants: the company's locations the app is installed on. */
  approvedLocations: string[] | null;
}

export interface InstalledLocationsQuery {
  companyId: string;
  appId: string;
  skip: string;
  limit: string;
  query?: string;
  isInstalled?: boolean;
  locationId?: string;
}

export interface LocationToken {
  accessToken: string;
  scopes: string[];
  locationId: string;
  companyId: string;
  userId: string;
  appId: string;
}

export class OAuthTokenService {
  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      accessTokens: OAuthAccessTokens;
      authorizations: OAuthAuthorizations;
    },
  ) {}

  async exchange(request: TokenRequest): Promise<IssuedTokens> {
    const app = await this.client(request);
    return request.grantType === 'authorization_code'
      ? this.redeemCode(app, request)
      : this.rotateRefreshToken(app, request);
  }

  /** The app the client credentials belong to. */
  private async client(request: TokenRequest): Promise<AppRecord> {
    const app = await this.deps.authorizations.clientApp(request.clientId);
    if (!app || !secretMatches(request.clientSecret, app.client_secret_hash)) {
      throw new DomainError('OAUTH_CLIENT_INVALID', 'Invalid client: client is invalid');
    }
    return app;
  }

  private async redeemCode(app: AppRecord, request: TokenRequest): Promise<IssuedTokens> {
    const { store, clock } = this.deps;
    const codeHash = hashToken(request.code ?? '');
    const code = await findCode(store.db, codeHash);
    if (!code || code.app_id !== app.id) throw invalidCode();
    const now = clock.now();
    if (code.used_at !== null) {
      // A code presented twice was stolen or replayed: what it was exchanged for is revoked (RFC 6749 §4.1.2).
      const grantId = code.grant_id;
      if (grantId) await store.unit(({ db }) => revokeGrant(db, grantId, now));
      throw invalidCode();
    }
    if (code.expires_at <= now) throw new DomainError('BAD_REQUEST', 'Invalid grant: authorization code has expired');
    // A redirect URI sent along must be the one the code went to (or, for a headless code, one the app registered).
    const redirectUri = request.redirectUri;
    if (
      redirectUri !== undefined &&
      (code.redirect_uri !== null ? redirectUri !== code.redirect_uri : !appRedirectUris(app).includes(redirectUri))
    ) {
      throw new DomainError('BAD_REQUEST', 'Invalid request: `redirect_uri` is invalid');
    }
    if (request.userType !== undefined && request.userType !== code.user_type) throw invalidParameter('user_type');
    const grant: GrantRow = {
      id: newId(),
      app_id: app.id,
      user_type: code.user_type,
      location_id: code.location_id,
      company_id: code.company_id,
      scopes: code.scopes,
      user_id: code.user_id,
      created_at: now,
      revoked_at: null,
    };
    const refreshToken = newRefreshToken();
    const spent = await store.unit(async ({ db: trx }) => {
      if (!(await spendCode(trx, codeHash, now))) return false;
      await insertGrant(trx, grant);
      await recordCodeGrant(trx, codeHash, grant.id);
      await insertRefreshToken(trx, refreshRow(refreshToken, grant.id, now));
      return true;
    });
    if (!spent) throw invalidCode();
    return this.issue(app, grant, refreshToken);
  }

  private async rotateRefreshToken(app: AppRecord, request: TokenRequest): Promise<IssuedTokens> {
    const { store, clock } = this.deps;
    const tokenHash = hashToken(request.refreshToken ?? '');
    const row = await findRefreshToken(store.db, tokenHash);
    if (!row || row.app_id !== app.id || row.revoked_at !== null) throw invalidRefresh();
    const now = clock.now();
    const { token_hash: _hash, expires_at: expiresAt, used_at: usedAt, ...grant } = row;
    if (usedAt !== null) {
      // Reuse of a rotated refresh token: whoever holds the family may be an attacker, so it ends for everyone.
      await store.unit(({ db }) => revokeGrant(db, grant.id, now));
      throw invalidRefresh();
    }
    if (expiresAt <= now) throw new DomainError('BAD_REQUEST', 'Invalid grant: refresh token has expired');
    if (request.userType !== undefined && request.userType !== grant.user_type) throw invalidParameter('user_type');
    if (grant.location_id !== null && !(await isAppInstalled(store.db, grant.location_id, app.id))) {
      throw invalidRefresh();
    }
    const refreshToken = newRefreshToken();
    const rotated = await store.unit(async ({ db: trx }) => {
      if (!(await spendRefreshToken(trx, tokenHash, now))) return false;
      await insertRefreshToken(trx, refreshRow(refreshToken, grant.id, now));
      return true;
    });
    if (!rotated) {
      // Spent concurrently by another request: the same reuse.
      await store.unit(({ db }) => revokeGrant(db, grant.id, now));
      throw invalidRefresh();
    }
    return this.issue(app, grant, refreshToken);
  }

  private async issue(app: AppRecord, grant: GrantRow, refreshToken: string): Promise<IssuedTokens> {
    const scopes = currentScopes(app, grant);
    const authClass = grant.user_type as AuthClass;
    const authClassId = (authClass === 'Location' ? grant.location_id : grant.company_id) ?? '';
    const accessToken = await this.deps.accessTokens.issue({
      grantId: grant.id,
      appId: app.id,
      clientId: app.client_id ?? app.id,
      authClass,
      authClassId,
      scopes,
    });
    let approvedLocations: string[] | null = null;
    if (authClass === 'Company') {
      const installed = await companyLocations(this.deps.store.db, authClassId, app.id, {
        isInstalled: true,
        skip: 0,
        limit: 1000,
      });
      approvedLocations = installed.rows.map((location) => location.id);
    }
    return { grant, accessToken, refreshToken, scopes, approvedLocations };
  }

  /** A token of one of the company's locations, made from the company's token (it has no refresh token). */
  async locationToken(
    company: CompanyContext,
    input: { companyId: string; locationId: string },
  ): Promise<LocationToken> {
    const { store } = this.deps;
    if (input.companyId !== company.companyId) {
      throw new DomainError('FORBIDDEN', 'The token does not have access to this company.');
    }
    const location = await findLocation(store.db, input.locationId);
    if (!location || location.company_id !== company.companyId) {
      throw new DomainError('BAD_REQUEST', 'Location not found');
    }
    if (!(await isAppInstalled(store.db, location.id, company.appId))) {
      throw new DomainError('BAD_REQUEST', 'The app is not installed on this location');
    }
    const grant = await findGrant(store.db, company.tokenId);
    const app = await this.deps.authorizations.clientAppById(company.appId);
    if (!grant || !app) throw new DomainError('TOKEN_INVALID_JWT', 'Invalid JWT');
    const scopes = currentScopes(app, grant);
    const accessToken = await this.deps.accessTokens.issue({
      grantId: grant.id,
      appId: app.id,
      clientId: app.client_id ?? app.id,
      authClass: 'Location',
      authClassId: location.id,
      scopes,
    });
    return {
      accessToken,
      scopes,
      locationId: location.id,
      companyId: company.companyId,
      userId: grant.user_id,
      appId: app.id,
    };
  }

  /** The company's locations, each saying whether the token's app is installed there (GET /oauth/installedLocations). */
  async installedLocations(company: CompanyContext, query: InstalledLocationsQuery) {
    if (query.companyId !== company.companyId) {
      throw new DomainError('FORBIDDEN', 'The token does not have access to this company.');
    }
    if (query.appId !== company.appId)
      throw new DomainError('FORBIDDEN', 'The token does not have access to this app.');
    const page = await companyLocations(this.deps.store.db, company.companyId, company.appId, {
      skip: Number(query.skip),
      limit: Number(query.limit),
      ...(query.query !== undefined ? { query: query.query } : {}),
      ...(query.isInstalled !== undefined ? { isInstalled: query.isInstalled } : {}),
      ...(query.locationId !== undefined ? { locationId: query.locationId } : {}),
    });
    return page;
  }
}

/** The grant's scopes the app still holds (an operator may have narrowed the app since). */
function currentScopes(app: AppRecord, grant: GrantRow): string[] {
  const held = appScopes(app);
  return (JSON.parse(grant.scopes) as string[]).filter((scope) => held.includes(scope));
}

function newRefreshToken(): string {
  return randomBytes(32).toString('hex');
}

function refreshRow(token: string, grantId: string, now: number) {
  return {
    token_hash: hashToken(token),
    grant_id: grantId,
    created_at: now,
    expires_at: now + REFRESH_TOKEN_TTL_MS,
    used_at: null,
  };
}
