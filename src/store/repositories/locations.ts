// Locations (HighLevel sub-accounts): the tenants every other record belongs to.
import type { Executor } from '../executor.js';
import type { LocationsTable } from '../schema.js';

export type LocationRow = LocationsTable;
const COLUMNS = ['id', 'name', 'company_id', 'created_at'] as const;

export async function insertLocation(db: Executor, row: LocationRow): Promise<void> {
  await db.insertInto('locations').values(row).execute();
}

export async function findLocation(db: Executor, id: string): Promise<LocationRow | undefined> {
  return db.selectFrom('locations').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function updateLocation(
  db: Executor,
  id: string,
  patch: Partial<Pick<LocationRow, 'name' | 'company_id'>>,
): Promise<void> {
  await db.updateTable('locations').set(patch).where('id', '=', id).execute();
}

export async function listLocations(db: Executor): Promise<LocationRow[]> {
  return db.selectFrom('locations').select(COLUMNS).orderBy('created_at').orderBy('id').execute();
}

/** One page of locations by id, after the id a previous page ended on (keyset paging). */
export async function listLocationsPage(db: Executor, page: { limit: number; after?: string }): Promise<LocationRow[]> {
  let query = db.selectFrom('locations').select(COLUMNS).orderBy('id').limit(page.limit);
  if (page.after) query = query.where('id', '>', page.after);
  return query.execute();
}

export async function countLocations(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('locations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
