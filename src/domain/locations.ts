// Operators' use cases: locations and their private integration tokens.

import type { Store } from '../store/database.js';
import { findApp, installApp } from '../store/repositories/apps.js';
import {
  findLocation,
  insertLocation,
  type LocationRow,
  listLocations,
  listLocationsPage,
  updateLocation,
} from '../store/repositories/locations.js';
import { insertToken, listTokens, revokeToken, type TokenRow } from '../store/repositories/tokens.js';
import type { Clock } from './clock.js';
import { DomainError, notFound } from './errors.js';
import { hashToken, newId, newPrivateIntegrationToken } from './ids.js';
import { isScope, SCOPES, type Scope } from './scopes.js';

export interface IssuedToken {
  row: TokenRow;
  /** The plain token: shown once, stored only as a digest. */
  token: string;
}

export class LocationService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async createLocation(input: { name: string; id?: string; companyId?: string | null }): Promise<LocationRow> {
    const row: LocationRow = {
      id: input.id ?? newId(),
      name: input.name,
      company_id: input.companyId ?? null,
      created_at: this.clock.now(),
    };
    const exists = () => new DomainError('CONFLICT', `Location ${row.id} already exists`);
    // Two creates of the same id that race past the check: the primary key decides.
    await this.store.unit(
      async ({ db }) => {
        if (await findLocation(db, row.id)) throw exists();
        await insertLocation(db, row);
      },
      {
        onUniqueViolation: () => {
          throw exists();
        },
      },
    );
    return row;
  }

  async getLocation(id: string): Promise<LocationRow> {
    const row = await findLocation(this.store.db, id);
    if (!row) throw notFound('Location');
    return row;
  }

  listLocations(): Promise<LocationRow[]> {
    return listLocations(this.store.db);
  }

  /** A page of locations in id order, and the id the next page starts after (null: this was the last). */
  async pageLocations(page: {
    limit: number;
    after?: string;
  }): Promise<{ rows: LocationRow[]; nextAfter: string | null }> {
    const rows = await listLocationsPage(this.store.db, { ...page, limit: page.limit + 1 });
    const more = rows.length > page.limit;
    const kept = more ? rows.slice(0, page.limit) : rows;
    return { rows: kept, nextAfter: more ? (kept.at(-1)?.id ?? null) : null };
  }

  /** Renames a location or moves it to a company (a Company authorisation covers the company's locations). */
  async updateLocation(id: string, input: { name?: string; companyId?: string | null }): Promise<LocationRow> {
    await this.getLocation(id);
    const patch: { name?: string; company_id?: string | null } = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.companyId !== undefined) patch.company_id = input.companyId === '' ? null : input.companyId;
    if (Object.keys(patch).length > 0) await this.store.unit(({ db }) => updateLocation(db, id, patch));
    return this.getLocation(id);
  }

  /**
   * Issues a private integration token. One tied to an app (`appId`) acts as that app, as an OAuth token of it would:
   * its scopes default to (and may not exceed) the app's, and issuing it installs the app on the location.
   */
  async issueToken(
    locationId: string,
    input: { scopes?: string[]; name?: string | null; appId?: string },
  ): Promise<IssuedToken> {
    await this.getLocation(locationId);
    const app = input.appId === undefined ? undefined : await findApp(this.store.db, input.appId);
    if (input.appId !== undefined && !app) {
      throw new DomainError('VALIDATION_FAILED', ['appId must be the id of an existing app']);
    }
    const appScopes = app?.scopes;
    const issued = this.newToken(locationId, { ...input, scopes: input.scopes ?? appScopes });
    const beyond = appScopes ? (JSON.parse(issued.row.scopes) as string[]).filter((s) => !appScopes.includes(s)) : [];
    if (beyond.length > 0) {
      throw new DomainError('VALIDATION_FAILED', [`scopes must be scopes of the app (not ${beyond.join(', ')})`]);
    }
    await this.store.unit(async ({ db: trx }) => {
      if (app) await installApp(trx, locationId, app.id, this.clock.now());
      await insertToken(trx, issued.row);
    });
    return issued;
  }

  /** The demo location of an empty database and its all-scopes token, created together or not at all. */
  async createDemoLocation(): Promise<{ location: LocationRow; token: string }> {
    const location: LocationRow = {
      id: newId(),
      name: 'Demo Location',
      company_id: null,
      created_at: this.clock.now(),
    };
    const issued = this.newToken(location.id, { name: 'Demo token (all scopes)' });
    await this.store.unit(async ({ db: trx }) => {
      await insertLocation(trx, location);
      await insertToken(trx, issued.row);
    });
    return { location, token: issued.token };
  }

  private newToken(
    locationId: string,
    input: { scopes?: string[] | undefined; name?: string | null; appId?: string },
  ): IssuedToken {
    const requested = input.scopes ?? [...SCOPES];
    if (requested.length === 0) throw new DomainError('VALIDATION_FAILED', ['scopes must contain at least 1 elements']);
    const unknown = requested.filter((scope) => !isScope(scope));
    if (unknown.length > 0) {
      throw new DomainError(
        'VALIDATION_FAILED',
        unknown.map((scope) => `scopes must be one of the following values: ${SCOPES.join(', ')} (got ${scope})`),
      );
    }
    const scopes = [...new Set(requested)] as Scope[];
    const token = newPrivateIntegrationToken();
    const row: TokenRow = {
      id: newId(),
      location_id: locationId,
      name: input.name ?? null,
      token_hash: hashToken(token),
      scopes: JSON.stringify(scopes),
      created_at: this.clock.now(),
      revoked_at: null,
      app_id: input.appId ?? null,
    };
    return { row, token };
  }

  async listTokens(locationId: string): Promise<TokenRow[]> {
    await this.getLocation(locationId);
    return listTokens(this.store.db, locationId);
  }

  async revokeToken(locationId: string, tokenId: string): Promise<void> {
    await this.getLocation(locationId);
    const now = this.clock.now();
    if (!(await this.store.unit(({ db }) => revokeToken(db, locationId, tokenId, now)))) throw notFound('Token');
  }
}
