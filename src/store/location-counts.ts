// The exact per-location counts kept by triggers (migration 0010): a count is the sum of its rows. SQLite keeps one
// row per count; PostgreSQL appends a delta row per writing statement, folded back into one row now and then.
import { sql } from 'kysely';
import type { Executor } from './executor.js';

/**
 * Conversations of the location; those with unread messages; messages of a channel, scheduled ones excepted; its
 * contacts (migration 0037).
 */
export type CountName = 'conversations' | 'conversations:unread' | `messages:${string}` | 'contacts';

/** The sum of a location's kept rows, narrowed by the caller to the counts it adds up. */
function sumOf(db: Executor, locationId: string) {
  return db
    .selectFrom('location_counts')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('n'), sql<number>`0`).as('n'))
    .where('location_id', '=', locationId);
}

export async function locationCount(db: Executor, locationId: string, name: CountName): Promise<number> {
  const row = await sumOf(db, locationId).where('name', '=', name).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Messages of every channel but `except` (the export's default: all but Email), scheduled ones excepted. */
export async function messageCountExcept(db: Executor, locationId: string, except: string): Promise<number> {
  const row = await sumOf(db, locationId)
    // Every name of the form messages:<channel>: ';' sorts right after ':'.
    .where('name', '>', 'messages:')
    .where('name', '<', 'messages;')
    .where('name', '!=', `messages:${except}`)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * PostgreSQL: folds every count of more than `threshold` delta rows into one row. Each fold is one statement, so a
 * reader sees the rows before it or the row after it, and deltas appended meanwhile are left for the next fold.
 */
export async function foldCounts(db: Executor, threshold: number): Promise<number> {
  const { rows } = await sql<{ location_id: string; name: string }>`SELECT location_id, name FROM location_counts
    GROUP BY location_id, name HAVING count(*) > ${threshold}`.execute(db);
  for (const { location_id, name } of rows) {
    await sql`WITH gone AS (DELETE FROM location_counts WHERE location_id = ${location_id} AND name = ${name} RETURNING n)
      INSERT INTO location_counts (location_id, name, n) SELECT ${location_id}, ${name}, coalesce(sum(n), 0) FROM gone`.execute(
      db,
    );
  }
  return rows.length;
}

const FOLD_EVERY_MS = 10_000;
const FOLD_THRESHOLD = 32;

/** PostgreSQL only: folds the counts' delta rows every few seconds; answers how to stop. */
export function startCountFolding(db: Executor, onError: (error: unknown) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    foldCounts(db, FOLD_THRESHOLD)
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, FOLD_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
