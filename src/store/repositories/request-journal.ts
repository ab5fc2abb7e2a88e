// The journal of public API calls: written in batches, read newest first per location, pruned by age and count.
import { CompiledQuery } from 'kysely';
import { noteJournalRows } from '../count-cache.js';
import type { Engine } from '../database.js';
import { type Executor, engineOf } from '../executor.js';
import type { RequestJournalTable } from '../schema.js';

export type JournalRow = Omit<RequestJournalTable, 'seq'> & { seq: number };
export type NewJournalRow = Omit<RequestJournalTable, 'seq'>;

const COLUMNS = [
  'location_id',
  'method',
  'path',
  'route',
  'query',
  'status',
  'duration_ms',
  'token_id',
  'app_id',
  'trace_id',
  'request_body',
  'response_body',
  'created_at',
] as const satisfies readonly (keyof NewJournalRow)[];

/** Rows per insert statement: chunks of powers of two up to this, so a handful of statement texts serve any batch. */
const MOST_ROWS = 128;

/** `insert … values (…), (…)` of `rows` rows, by engine and row count: built once, so the text is the cache key. */
const insertTexts = new Map<string, string>();

function insertText(engine: Engine, rows: number): string {
  const key = `${engine}:${rows}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    let n = 0;
    const placeholder = engine === 'postgres' ? () => `$${++n}` : () => '?';
    const tuples = Array.from({ length: rows }, () => `(${COLUMNS.map(placeholder).join(', ')})`);
    text = `insert into request_journal (${COLUMNS.join(', ')}) values ${tuples.join(', ')}`;
    insertTexts.set(key, text);
  }
  return text;
}

/**
 * A value as stored: NUL shown as U+FFFD, since PostgreSQL's text refuses NUL and one refused call in a batch would
 * lose the whole batch (SQLite keeps the same text, so both engines show the same journal).
 */
function storable(value: unknown): unknown {
  return typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}

/**
 * A few multi-row statements for the whole batch, their text prepared once: the query builder would build and
 * compile a node for every value of every row, more work than SQLite's insert itself.
 */
export async function insertJournalRows(db: Executor, rows: readonly NewJournalRow[]): Promise<void> {
  const engine = engineOf(db);
  for (let start = 0; start < rows.length; ) {
    let size = MOST_ROWS;
    while (size > rows.length - start) size >>= 1;
    const parameters: unknown[] = [];
    for (let i = start; i < start + size; i++) {
      const row = rows[i] as NewJournalRow;
      for (const column of COLUMNS) parameters.push(storable(row[column]));
    }
    await db.executeQuery(CompiledQuery.raw(insertText(engine, size), parameters));
    noteJournalRows(db, size);
    start += size;
  }
}

export interface JournalFilter {
  limit: number;
  /** Only the location's newest `kept` calls (what JOURNAL_MAX_ROWS keeps, whether or not pruned yet). */
  kept: number;
  /** The seq of the last request of the previous page. */
  after?: number;
  method?: string;
  route?: string;
  /** One status, or a class of them: [400, 499]. */
  status?: [number, number];
}

/** The seq of the location's newest call beyond its newest `keep`: the one to prune from (null: nothing beyond). */
async function seqBeyond(db: Executor, locationId: string, keep: number): Promise<number | null> {
  const row = await db
    .selectFrom('request_journal')
    .select('seq')
    .where('location_id', '=', locationId)
    .orderBy('seq', 'desc')
    .offset(keep)
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.seq) : null;
}

export async function listJournal(db: Executor, locationId: string, filter: JournalFilter): Promise<JournalRow[]> {
  let query = db.selectFrom('request_journal').selectAll().where('location_id', '=', locationId);
  const beyond = await seqBeyond(db, locationId, filter.kept);
  if (beyond !== null) query = query.where('seq', '>', beyond);
  if (filter.after !== undefined) query = query.where('seq', '<', filter.after);
  if (filter.method) query = query.where('method', '=', filter.method);
  if (filter.route) query = query.where('route', '=', filter.route);
  if (filter.status) query = query.where('status', '>=', filter.status[0]).where('status', '<=', filter.status[1]);
  const rows = await query.orderBy('seq', 'desc').limit(filter.limit).execute();
  return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
}

export async function journalEntryExists(db: Executor, locationId: string, seq: number): Promise<boolean> {
  const row = await db
    .selectFrom('request_journal')
    .select('seq')
    .where('seq', '=', seq)
    .where('location_id', '=', locationId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Removes requests recorded before `before`, everywhere. */
export async function pruneJournalBefore(db: Executor, before: number): Promise<number> {
  const result = await db.deleteFrom('request_journal').where('created_at', '<', before).executeTakeFirst();
  noteJournalRows(db, Number(result.numDeletedRows));
  return Number(result.numDeletedRows);
}

/** Keeps the location's newest `keep` requests. */
export async function pruneJournalBeyond(db: Executor, locationId: string, keep: number): Promise<number> {
  const beyond = await seqBeyond(db, locationId, keep);
  if (beyond === null) return 0;
  const result = await db
    .deleteFrom('request_journal')
    .where('location_id', '=', locationId)
    .where('seq', '<=', beyond)
    .executeTakeFirst();
  noteJournalRows(db, Number(result.numDeletedRows));
  return Number(result.numDeletedRows);
}
