// The journal of public API calls: written in batches, read newest first per location, pruned by age and count.
import type { Executor } from '../executor.js';
import type { RequestJournalTable } from '../schema.js';

export type JournalRow = Omit<RequestJournalTable, 'seq'> & { seq: number };
export type NewJournalRow = Omit<RequestJournalTable, 'seq'>;

export async function insertJournalRows(db: Executor, rows: NewJournalRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('request_journal').values(rows).execute();
}

export interface JournalFilter {
  limit: number;
  /** The id of the last request of the previous page. */
  after?: string;
  method?: string;
  route?: string;
  /** One status, or a class of them: [400, 499]. */
  status?: [number, number];
}

export async function listJournal(db: Executor, locationId: string, filter: JournalFilter): Promise<JournalRow[]> {
  let query = db.selectFrom('request_journal').selectAll().where('location_id', '=', locationId);
  if (filter.after !== undefined) {
    const after = db.selectFrom('request_journal').select('seq').where('id', '=', filter.after);
    query = query.where('seq', '<', after);
  }
  if (filter.method) query = query.where('method', '=', filter.method);
  if (filter.route) query = query.where('route', '=', filter.route);
  if (filter.status) query = query.where('status', '>=', filter.status[0]).where('status', '<=', filter.status[1]);
  return (await query.orderBy('seq', 'desc').limit(filter.limit).execute()) as JournalRow[];
}

export async function journalEntryExists(db: Executor, id: string): Promise<boolean> {
  return (await db.selectFrom('request_journal').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Removes requests recorded before `before`, everywhere. */
export async function pruneJournalBefore(db: Executor, before: number): Promise<number> {
  const result = await db.deleteFrom('request_journal').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Keeps the location's newest `keep` requests. */
export async function pruneJournalBeyond(db: Executor, locationId: string, keep: number): Promise<number> {
  const cutoff = await db
    .selectFrom('request_journal')
    .select('seq')
    .where('location_id', '=', locationId)
    .orderBy('seq', 'desc')
    .offset(keep)
    .limit(1)
    .executeTakeFirst();
  if (!cutoff) return 0;
  const result = await db
    .deleteFrom('request_journal')
    .where('location_id', '=', locationId)
    .where('seq', '<=', cutoff.seq)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
