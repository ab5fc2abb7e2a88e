// Admin API shapes for locations and tokens (tokens never show their secret after issue).
import type { LocationRow } from '../store/repositories/locations.js';
import type { TokenRow } from '../store/repositories/tokens.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function presentLocation(row: LocationRow) {
  return { id: row.id, name: row.name, companyId: row.company_id, dateAdded: iso(row.created_at) };
}

export function presentToken(row: TokenRow) {
  return {
    id: row.id,
    locationId: row.location_id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as string[],
    appId: row.app_id,
    dateAdded: iso(row.created_at),
    revokedAt: row.revoked_at === null ? null : iso(row.revoked_at),
  };
}
