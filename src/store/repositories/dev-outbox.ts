// The dev outbox: what Switchboard would have sent, recorded once per delivery.
import type { Executor } from '../executor.js';
import type { DevOutboxTable } from '../schema.js';

export type OutboxRow = DevOutboxTable;

/** Records a delivery; a retried delivery (same key) records nothing new. */
export async function recordOutbox(db: Executor, row: OutboxRow): Promise<void> {
  await db
    .insertInto('dev_outbox')
    .values(row)
    .onConflict((oc) => oc.column('delivery_key').doNothing())
    .execute();
}

/** Oldest first; `after` is the last row of the previous page. */
export async function listOutbox(
  db: Executor,
  locationId: string,
  options: { after?: { createdAt: number; id: string }; limit: number },
) {
  let query = db.selectFrom('dev_outbox').selectAll().where('location_id', '=', locationId);
  const after = options.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '>', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)]),
      ]),
    );
  }
  return query.orderBy('created_at').orderBy('id').limit(options.limit).execute();
}

export async function findOutboxRow(db: Executor, locationId: string, id: string) {
  return db
    .selectFrom('dev_outbox')
    .selectAll()
    .where('location_id', '=', locationId)
    .where('id', '=', id)
    .executeTakeFirst();
}
