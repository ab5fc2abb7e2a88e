// Stored results of requests sent with an Idempotency-Key, per location.
import type { Executor } from '../executor.js';
import type { IdempotencyKeysTable } from '../schema.js';

export type IdempotencyRow = IdempotencyKeysTable;

export async function findIdempotencyKey(db: Executor, locationId: string, key: string) {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('location_id', '=', locationId)
    .where('key', '=', key)
    .executeTakeFirst();
}

export async function insertIdempotencyKey(db: Executor, row: IdempotencyRow): Promise<void> {
  await db.insertInto('idempotency_keys').values(row).execute();
}
