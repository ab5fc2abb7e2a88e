// Authorising an app on a location or a company: the consent page and the operators' headless call both end here,
// installing the app and handing out a short-lived, single-use authorisation code.
import { randomBytes } from 'node:crypto';
import type { Store } from '../../store/database.js';
import type { AppRecord } from '../../store/repositories/apps.js';
import { findApp, installApp } from '../../store/repositories/apps.js';
import { findLocation } from '../../store/repositories/locations.js';
import { companyLocationIds, findAppByClientId, insertCode, pruneCodes } from '../../store/repositories/oauth.js';
import type { Clock } from '../clock.js';
import { DomainError, notFound } from '../errors.js';
import { hashToken, newId } from '../ids.js';
import type { AuthClass } from './access-tokens.js';

/** Codes are exchanged at once by the app's backend: ten minutes is plenty. */
export const CODE_TTL_MS = 10 * 60 * 1000;
const DAY_MS = 24 * 3600 * 1000;

export interface AuthorizationRequest {
  app: AppRecord;
  userType: AuthClass;
  /** The location (Location) or company (Company) the app is authorised for. */
  targetId: string;
  /** The scopes asked for; the app's own when absent. */
  scopes?: string[];
  /** Where the code goes: it must then come back with the code. */
  redirectUri?: string | null;
  /** Who authorised it (HighLevel's userId); a new id when absent. */
  userId?: string;
}

export interface IssuedCode {
  code: string;
  expiresIn: number;
  userType: AuthClass;
  locationId: string | null;
  companyId: string | null;
  scopes: string[];
}

/** A scope parameter: space-separated as RFC 6749 has it (commas and `+` are taken too). */
export function parseScopeParameter(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw.split(/[\s,+]+/).filter(Boolean);
}

export function appScopes(app: AppRecord): string[] {
  return app.scopes;
}

export function appRedirectUris(app: AppRecord): string[] {
  return app.redirect_uris;
}

/**
 * The scopes granted: those asked for that the app holds (HighLevel apps ask for scopes Switchboard does not serve;
 * those are left out), or all the app's when none are asked for. None left: refused.
 */
export function grantedScopes(app: AppRecord, requested: string[] | undefined): string[] {
  const held = appScopes(app);
  if (requested === undefined) return held;
  const granted = held.filter((scope) => requested.includes(scope));
  if (granted.length === 0) throw new DomainError('BAD_REQUEST', 'Invalid parameter: `scope`');
  return granted;
}

export class OAuthAuthorizations {
  constructor(private readonly deps: { store: Store; clock: Clock }) {}

  /** The app whose client id this is. */
  async clientApp(clientId: string): Promise<AppRecord | undefined> {
    return findAppByClientId(this.deps.store.db, clientId);
  }

  async clientAppById(appId: string): Promise<AppRecord | undefined> {
    return findApp(this.deps.store.db, appId);
  }

  /** Installs the app where it is authorised (a company: each of its locations), and issues the code. */
  async authorize(request: AuthorizationRequest): Promise<IssuedCode> {
    const { store, clock } = this.deps;
    const { app, userType, targetId } = request;
    const scopes = grantedScopes(app, request.scopes);
    let locations: string[];
    let companyId: string | null;
    if (userType === 'Location') {
      const location = await findLocation(store.db, targetId);
      if (!location) throw notFound('Location');
      locations = [location.id];
      companyId = location.company_id;
    } else {
      locations = await companyLocationIds(store.db, targetId);
      if (locations.length === 0) throw notFound('Company');
      companyId = targetId;
    }
    const code = randomBytes(20).toString('hex');
    const now = clock.now();
    await store.unit(async ({ db: trx }) => {
      for (const locationId of locations) await installApp(trx, locationId, app.id, now);
      await pruneCodes(trx, now - DAY_MS);
      await insertCode(trx, {
        code_hash: hashToken(code),
        app_id: app.id,
        user_type: userType,
        location_id: userType === 'Location' ? targetId : null,
        company_id: companyId,
        scopes: JSON.stringify(scopes),
        redirect_uri: request.redirectUri ?? null,
        user_id: request.userId ?? newId(),
        created_at: now,
        expires_at: now + CODE_TTL_MS,
        used_at: null,
        grant_id: null,
      });
    });
    return {
      code,
      expiresIn: CODE_TTL_MS / 1000,
      userType,
      locationId: userType === 'Location' ? targetId : null,
      companyId,
      scopes,
    };
  }
}
