// The request journal's rows are named by their sequence number: the random `id` column and its unique index go.
// Every journaled API call inserted into that index at a random place (and pruning deleted from it again), about
// half of what the journal cost SQLite per call; a journal entry's id is now its `seq` (docs/sandbox.md).
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.js';

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

/**
 * SQLite drops no UNIQUE column: the table is built again as it stands without that column, from its own catalog
 * (columns, then its indexes' own statements), its rows and their seq kept.
 */
async function rebuildWithout(db: Kysely<unknown>, table: string, dropped: string): Promise<void> {
  const info = await sql<ColumnInfo>`select * from pragma_table_info(${table})`.execute(db);
  const kept = info.rows.filter((column) => column.name !== dropped);
  const indexes = await sql<{ sql: string }>`
    select sql from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(db);
  const next = `${table}_next`;
  const definitions = kept.map((column) => {
    if (column.pk) return sql`${sql.ref(column.name)} integer primary key autoincrement`;
    return sql`${sql.ref(column.name)} ${sql.raw(column.type)}${sql.raw(column.notnull ? ' not null' : '')}`;
  });
  await sql`create table ${sql.table(next)} (${sql.join(definitions)})`.execute(db);
  const columns = sql.join(kept.map((column) => sql.ref(column.name)));
  await sql`insert into ${sql.table(next)} (${columns}) select ${columns} from ${sql.table(table)}`.execute(db);
  await sql`drop table ${sql.table(table)}`.execute(db);
  await sql`alter table ${sql.table(next)} rename to ${sql.table(table)}`.execute(db);
  for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
}

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine === 'postgres') await db.schema.alterTable('request_journal').dropColumn('id').execute();
  else await rebuildWithout(db, 'request_journal', 'id');
}
