// Per-location rate-limit settings (null fields take the configured defaults).
import type { Executor } from '../executor.js';
import type { LocationRateLimitsTable } from '../schema.js';

export type LocationRateLimitRow = LocationRateLimitsTable;

export async function findLocationRateLimit(
  db: Executor,
  locationId: string,
): Promise<LocationRateLimitRow | undefined> {
  return db.selectFrom('location_rate_limits').selectAll().where('location_id', '=', locationId).executeTakeFirst();
}

export async function putLocationRateLimit(db: Executor, row: LocationRateLimitRow): Promise<void> {
  const { location_id: _id, ...fields } = row;
  await db
    .insertInto('location_rate_limits')
    .values(row)
    .onConflict((oc) => oc.column('location_id').doUpdateSet(fields))
    .execute();
}

export async function deleteLocationRateLimit(db: Executor, locationId: string): Promise<void> {
  await db.deleteFrom('location_rate_limits').where('location_id', '=', locationId).execute();
}
