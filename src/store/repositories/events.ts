// The domain event log: appended with gap-free per-location sequence numbers, read back by sequence. SQLite numbers
// an event as it is written (one writer at a time); PostgreSQL after its transaction commits (numberEvents).
import { sql } from 'kysely';
import type { Engine } from '../database.js';
import type { Executor } from '../executor.js';
import type { DomainEventsTable } from '../schema.js';

export type EventRow = DomainEventsTable;

/** Whether events are numbered after their transaction commits (by numberEvents) rather than as they are written. */
export function numbersAfterCommit(engine: Engine): boolean {
  return engine === 'postgres';
}

/**
 * SQLite: reserves `count` sequence numbers of a location, answering the first. The row update also serialises the
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

/**
 * PostgreSQL: numbers the committed events of `locations` after each one's head, in the order they were written, up to
 * `limit` each; one statement (switchboard_number_events, migration 0026). Only committed events are visible to it,
 * and it holds each location's sequence row while it runs (never writers), so a number is given once, to a committed
 * event, after every smaller one: a reader that has read up to a number can never be passed by an event given a
 * smaller one later. Answers, for each location that got numbers, its new head, how many it got, and whether more
 * wait (past `limit`).
 */
export async function numberEvents(db: Executor, locations: string[], limit: number) {
  const result = await sql<{ location_id: string; head: string; numbered: number }>`
    SELECT location_id, head, numbered FROM switchboard_number_events(${locations}::text[], ${limit})`.execute(db);
  return result.rows.map((row) => ({
    locationId: row.location_id,
    head: Number(row.head),
    numbered: Number(row.numbered),
    waiting: Number(row.numbered) >= limit,
  }));
}

/** PostgreSQL: locations with committed events not yet numbered (a server stopped before numbering them). */
export async function locationsAwaitingNumbers(db: Executor, limit: number): Promise<string[]> {
  const rows = await sql<{ location_id: string }>`
    SELECT DISTINCT location_id FROM domain_events WHERE seq IS NULL LIMIT ${limit}`.execute(db);
  return rows.rows.map((row) => row.location_id);
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

/**
 * Numbers a location's next event after `after`. A location restored over itself goes on from where it was, one number
 * skipped: its events were replaced without any of their own, so a client resuming from before the restore meets a
 * gap in the numbers (and resyncs) rather than the restored location's events passing for the ones it missed.
 */
export async function continueEventSeqs(db: Executor, locationId: string, after: number): Promise<void> {
  await db
    .insertInto('location_event_seqs')
    .values({ location_id: locationId, seq: after })
    .onConflict((oc) => oc.column('location_id').doUpdateSet({ seq: after }))
    .execute();
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
