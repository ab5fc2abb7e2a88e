// The domain event log: appended with gap-free per-location sequence numbers, read back by sequence.
import type { Executor } from '../executor.js';
import type { DomainEventsTable } from '../schema.js';

export type EventRow = DomainEventsTable;

/**
 * Reserves `count` sequence numbers of a location, answering the first. The row update also serialises the
 * location's writers, so numbers are handed out in commit order.
 */
export async function reserveEventSeqs(db: Executor, locationId: string, count: number): Promise<number> {
  const row = await db
    .insertInto('location_event_seqs')
    .values({ location_id: locationId, seq: count })
    .onConflict((oc) =>
      oc.column('location_id').doUpdateSet((eb) => ({ seq: eb('location_event_seqs.seq', '+', count) })),
    )
    .returning('seq')
    .executeTakeFirstOrThrow();
  return Number(row.seq) - count + 1;
}

export async function insertEvents(db: Executor, rows: EventRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('domain_events').values(rows).execute();
}

/** A location's events after `afterSeq`, oldest first. */
export async function eventsAfter(db: Executor, locationId: string, afterSeq: number, limit: number) {
  return db
    .selectFrom('domain_events')
    .selectAll()
    .where('location_id', '=', locationId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function deleteEventsBefore(db: Executor, createdBefore: number): Promise<number> {
  const result = await db.deleteFrom('domain_events').where('created_at', '<', createdBefore).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The sequence number of a location's latest committed event (0 before its first); null for no such location. */
export async function currentEventSeq(db: Executor, locationId: string): Promise<number | null> {
  const row = await db
    .selectFrom('locations as l')
    .leftJoin('location_event_seqs as s', 's.location_id', 'l.id')
    .select('s.seq')
    .where('l.id', '=', locationId)
    .executeTakeFirst();
  return row ? Number(row.seq ?? 0) : null;
}

/** Keeps a location's latest `keep` events, deleting older ones; answers how many went. */
export async function deleteEventsBeyond(db: Executor, locationId: string, keep: number): Promise<number> {
  const head = await currentEventSeq(db, locationId);
  if (head === null || head <= keep) return 0;
  const result = await db
    .deleteFrom('domain_events')
    .where('location_id', '=', locationId)
    .where('seq', '<=', head - keep)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
