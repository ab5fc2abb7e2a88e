// Exact counts remembered while the database is unchanged. A count over a large index range (a search's or an
// export's `total`) costs far more than its page; asked again with nothing written in between, the same count is
// answered from memory. "Unchanged" is decided exactly and cheaply by the engine:
// - SQLite: total_changes() (rows this connection wrote, committed or not), less the rows it wrote to the request
//   journal, and PRAGMA data_version (commits of any other connection or process) are both as they were;
// - PostgreSQL: pg_current_snapshot() is as it was: no transaction has taken a transaction id or ended since,
//   so every snapshot taken in between sees the same committed rows.
// A count is kept only when the mark is the same before and after it ran, so it describes that very state.
import { sql } from 'kysely';
import type { Engine } from './database.js';
import { type Executor, engineOf } from './executor.js';

const MAX_ENTRIES = 256;

interface Entry {
  mark: string;
  count: number;
}

// Rows written to the request journal, per store (a transaction shares its database's adapter). No count reads the
// journal, but SQLite's total_changes() counts its rows with every other row the connection writes: left in, the
// journal's row for every API call would retire every remembered count within moments of its being taken.
const journalRows = new WeakMap<object, number>();

/** Tells the change mark to leave out `rows` rows just written to the request journal (SQLite). */
export function noteJournalRows(db: Executor, rows: number): void {
  if (rows <= 0 || engineOf(db) !== 'sqlite') return;
  const store = db.getExecutor().adapter;
  journalRows.set(store, (journalRows.get(store) ?? 0) + rows);
}

async function changeMark(db: Executor, engine: Engine): Promise<string> {
  if (engine === 'sqlite') {
    const { rows } = await sql<{ changes: number; version: number }>`select total_changes() as changes,
      data_version as version from pragma_data_version`.execute(db);
    const row = rows[0];
    if (!row) return '';
    return `${row.changes - (journalRows.get(db.getExecutor().adapter) ?? 0)}:${row.version}`;
  }
  const { rows } = await sql<{ mark: string }>`select pg_current_snapshot()::text as mark`.execute(db);
  return rows[0]?.mark ?? '';
}

class CountCache {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly engine: Engine) {}

  async count(db: Executor, key: string, run: () => Promise<number>): Promise<number> {
    const engine = this.engine;
    const before = await changeMark(db, engine);
    const hit = this.entries.get(key);
    if (hit && hit.mark === before) return hit.count;
    const count = await run();
    if ((await changeMark(db, engine)) !== before) return count;
    this.entries.delete(key);
    this.entries.set(key, { mark: before, count });
    // Least recently stored goes first (a Map iterates in insertion order).
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    return count;
  }
}

// One cache per database handle; a transaction (a handle of its own) is not cached, as it may see its own writes.
const caches = new WeakMap<Executor, CountCache>();

/** `run`'s count, or the same count remembered for `key` if the database has not changed since it was taken. */
export function cachedCount(db: Executor, key: string, run: () => Promise<number>): Promise<number> {
  if (db.isTransaction) return run();
  let cache = caches.get(db);
  if (!cache) {
    cache = new CountCache(engineOf(db));
    caches.set(db, cache);
  }
  return cache.count(db, key, run);
}
