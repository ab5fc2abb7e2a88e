// Reading a whole location at one point in time, for a snapshot: one read transaction (PostgreSQL: repeatable read;
// SQLite: a read connection of its own, whose transaction sees the WAL as it was when it began while the server's
// connection keeps writing), and rows in pages by a unique order, so a location of any size streams.
import SqliteDatabase from 'better-sqlite3';
import { Kysely, type RawBuilder, SqliteDialect, sql } from 'kysely';
import type { Store } from './database.js';
import type { SnapshotTable } from './repositories/snapshot-tables.js';
import type { Database } from './schema.js';

const PAGE_ROWS = 1_000;

/** Runs `work` in one read-only transaction of its own. */
export async function readConsistently<T>(store: Store, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (store.engine === 'postgres') {
    return store.db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(work);
  }
  const file = store.sqlite?.name;
  // An in-memory database has no second connection: its reads run on the server's own (no isolation from writes).
  if (!file || store.sqlite?.memory) return work(store.db);
  const connection = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  connection.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });
  try {
    return await db.transaction().execute(work);
  } finally {
    await db.destroy();
  }
}

/** The location's rows of a table, in its order, a page at a time, with `extra` columns beside the snapshot's. */
export async function* tableRows(
  db: Kysely<Database>,
  spec: SnapshotTable,
  locationId: string,
  extra: string[] = [],
): AsyncGenerator<Record<string, unknown>> {
  const columns = [...new Set([...Object.keys(spec.columns), ...spec.orderBy, ...extra])];
  const keys = sql.join(spec.orderBy.map((column) => sql.ref(column)));
  let after: RawBuilder<unknown> | null = null;
  for (;;) {
    const page = await sql<Record<string, unknown>>`select ${sql.join(columns.map((column) => sql.ref(column)))}
      from ${sql.table(spec.name)} where ${spec.belongs(locationId)}
      ${after ? sql`and (${keys}) > (${after})` : sql``}
      order by ${keys} limit ${PAGE_ROWS}`.execute(db);
    yield* page.rows;
    const last = page.rows.at(-1);
    if (!last || page.rows.length < PAGE_ROWS) return;
    after = sql.join(spec.orderBy.map((column) => sql`${last[column]}`));
  }
}
