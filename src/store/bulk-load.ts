// Bulk loading for the seed generator: one reused prepared statement (SQLite) or UNNEST inserts (PostgreSQL) on one
// pinned connection, in big transactions, with durability relaxed for the load only. Secondary indexes of tables
// that start empty are dropped and rebuilt afterwards (a sorted build beats millions of random inserts); their
// definitions are read back from the catalog, so whatever the migrations created is recreated exactly. SQLite's
// full-text indexes on those tables are filled once after the load, not row by row.
import type SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { Store } from './database.js';
import type { Database } from './schema.js';

type Table = keyof Database & string;
type Row = object;
type Values = Record<string, unknown>;

export interface BulkLoad {
  /** Inserts rows (all with the same columns) in as few statements as the engine allows. */
  insert(table: Table, rows: readonly Row[]): Promise<void>;
  /** Commits what was inserted so far and opens the next transaction. */
  commit(): Promise<void>;
}

interface DeferredIndex {
  name: string;
  definition: string;
}

const POSTGRES_ROWS_PER_STATEMENT = 5_000;

/**
 * SQLite's full-text indexes fed row by row by an insert trigger (migrations 0001, 0018, 0029, 0036): on a table that starts
 * empty the trigger is dropped for the load and the index filled in one pass afterwards, in rowid order, which FTS5
 * writes as a few large segments instead of merging one small segment after another. (PostgreSQL's are plain
 * secondary indexes, rebuilt with the others.)
 */
const FULL_TEXT_FILLS: { table: Table; trigger: string; fill: string }[] = [
  {
    table: 'conversations',
    trigger: 'conversations_fts_insert',
    fill: `INSERT INTO conversations_fts (conversations_fts) VALUES ('rebuild')`,
  },
  {
    table: 'messages',
    trigger: 'messages_fts_insert',
    // Read in the table's key order: the seed writes messages in that order and numbers them as it goes.
    fill: `INSERT INTO messages_fts (rowid, body) SELECT seq, body FROM messages WHERE body <> ''`,
  },
  {
    table: 'emails',
    trigger: 'emails_fts_insert',
    fill: 'INSERT INTO emails_fts (rowid, text) SELECT rowid, switchboard_email_text(subject, body) FROM emails',
  },
  {
    // Which message each email belongs to, beside the email index (migration 0036); after the indexes are rebuilt,
    // so each email finds its message through messages' id index.
    table: 'emails',
    trigger: 'email_threads_insert',
    fill: `INSERT INTO email_threads (email_rowid, message_seq)
      SELECT emails.rowid, messages.seq FROM emails JOIN messages ON messages.id = emails.message_id`,
  },
];

interface DeferredFill {
  fill: string;
  /** The trigger's own definition, to create it again. */
  definition: string;
}

async function deferredFills(db: Kysely<Database>, tables: Table[]): Promise<DeferredFill[]> {
  const fills: DeferredFill[] = [];
  for (const entry of FULL_TEXT_FILLS) {
    if (!tables.includes(entry.table)) continue;
    const { rows } = await sql<{ sql: string }>`select sql from sqlite_master
      where type = 'trigger' and name = ${entry.trigger}`.execute(db);
    const definition = rows[0]?.sql;
    if (definition) fills.push({ fill: entry.fill, definition });
  }
  return fills;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function rowCount(db: Kysely<Database>, table: Table): Promise<number> {
  const result = await sql<{
    n: number;
  }>`select count(*) as n from (select 1 from ${sql.table(table)} limit 1) t`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

async function secondaryIndexes(db: Kysely<Database>, store: Store, tables: Table[]): Promise<DeferredIndex[]> {
  if (store.engine === 'sqlite') {
    // Indexes that back a UNIQUE or PRIMARY KEY constraint have no SQL of their own and cannot be dropped.
    const result = await sql<DeferredIndex>`select name, sql as definition from sqlite_master
      where type = 'index' and sql is not null and tbl_name in (${sql.join(tables)})`.execute(db);
    return result.rows;
  }
  const result = await sql<DeferredIndex>`select i.indexname as name, i.indexdef as definition from pg_indexes i
    where i.schemaname = current_schema() and i.tablename in (${sql.join(tables)})
      and not exists (select 1 from pg_constraint c
        where c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`.execute(db);
  return result.rows;
}

class Loader implements BulkLoad {
  private readonly statements = new Map<string, string>();
  private readonly sqliteStatements = new Map<string, SqliteDatabase.Statement>();
  private readonly columnTypes = new Map<string, Map<string, string>>();
  private inflight: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly sqlite: SqliteDatabase.Database | undefined,
  ) {}

  async insert(table: Table, rows: readonly Row[]): Promise<void> {
    const first = rows[0];
    if (!first) return;
    const columns = Object.keys(first);
    if (this.sqlite) {
      // One prepared single-row statement per table, run in the open transaction: on SQLite this beats multi-row
      // statements, whose text would have to be prepared again for every batch.
      const statement = this.sqliteInsert(this.sqlite, table, columns);
      const values: unknown[] = new Array(columns.length);
      for (const row of rows as Values[]) {
        for (let i = 0; i < columns.length; i++) values[i] = row[columns[i] as string];
        statement.run(values);
      }
      return;
    }
    const types = await this.postgresTypes(table);
    for (let start = 0; start < rows.length; start += POSTGRES_ROWS_PER_STATEMENT) {
      const chunk = (rows as Values[]).slice(start, start + POSTGRES_ROWS_PER_STATEMENT);
      const arrays = columns.map((column) => chunk.map((row) => row[column] ?? null));
      const key = `${table}:${columns.join(',')}`;
      let text = this.statements.get(key);
      if (!text) {
        const unnest = columns.map((column, i) => `$${i + 1}::${types.get(column) ?? 'text'}[]`).join(', ');
        text = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) select * from unnest(${unnest})`;
        this.statements.set(key, text);
      }
      // One statement in flight while the caller builds the next batch: the server and this process overlap.
      await this.inflight;
      const pending = this.db.executeQuery(CompiledQuery.raw(text, arrays)).then(() => undefined);
      // Handled where it is awaited (the next insert, commit or settle); this only keeps Node from calling it unhandled.
      pending.catch(() => undefined);
      this.inflight = pending;
    }
  }

  /** Waits for the statement still in flight (PostgreSQL), surfacing its error. */
  async settle(): Promise<void> {
    await this.inflight;
  }

  async commit(): Promise<void> {
    await this.settle();
    await sql`commit`.execute(this.db);
    await sql`begin`.execute(this.db);
  }

  private sqliteInsert(sqlite: SqliteDatabase.Database, table: Table, columns: string[]): SqliteDatabase.Statement {
    const key = `${table}:${columns.join(',')}`;
    let statement = this.sqliteStatements.get(key);
    if (!statement) {
      statement = sqlite.prepare(
        `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
      );
      this.sqliteStatements.set(key, statement);
    }
    return statement;
  }

  private async postgresTypes(table: Table): Promise<Map<string, string>> {
    let types = this.columnTypes.get(table);
    if (!types) {
      const result = await sql<{ column: string; type: string }>`select column_name as column, udt_name as type
        from information_schema.columns where table_schema = current_schema() and table_name = ${table}`.execute(
        this.db,
      );
      types = new Map(result.rows.map((row) => [row.column, row.type]));
      this.columnTypes.set(table, types);
    }
    return types;
  }
}

/**
 * Runs `load` on one connection with a bulk-load session around it, and restores the session afterwards (also
 * when the load fails: the indexes are rebuilt over what was loaded). `tables` are the tables the load fills.
 */
export async function withBulkLoad<T>(
  store: Store,
  tables: Table[],
  load: (loader: BulkLoad, db: Kysely<Database>) => Promise<T>,
  onIndexes?: (phase: 'dropped' | 'rebuilding' | 'rebuilt', count: number) => void,
): Promise<T> {
  return store.db.connection().execute(async (db) => {
    const sqlite = store.engine === 'sqlite';
    let restore: string[] = [];
    if (sqlite) {
      const synchronous = (await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows[0]?.synchronous;
      const cache = (await sql<{ cache_size: number }>`pragma cache_size`.execute(db)).rows[0]?.cache_size;
      restore = [
        `pragma synchronous = ${synchronous ?? 2}`,
        `pragma cache_size = ${cache ?? -2000}`,
        'pragma foreign_keys = on',
        'pragma threads = 0',
      ];
      // Relaxed for the load only: a crash mid-seed loses the seed, never data the API acknowledged.
      for (const pragma of [
        'synchronous = off',
        'cache_size = -1000000',
        'foreign_keys = off',
        'temp_store = memory',
        'threads = 2',
      ]) {
        await sql.raw(`pragma ${pragma}`).execute(db);
      }
    } else {
      restore = ['reset synchronous_commit', 'reset maintenance_work_mem'];
      await sql`set synchronous_commit = off`.execute(db);
      await sql`set maintenance_work_mem = '1GB'`.execute(db);
    }
    const empty: Table[] = [];
    for (const table of tables) if ((await rowCount(db, table)) === 0) empty.push(table);
    if (sqlite && empty.length === tables.length) {
      // A fresh dataset: no journal while it loads, so each page is written once rather than to the WAL and then
      // again by the checkpoint. An interrupted seed then leaves a file to delete and seed again.
      const journal = (await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db)).rows[0]?.journal_mode;
      await sql`pragma journal_mode = off`.execute(db);
      restore.unshift(`pragma journal_mode = ${journal ?? 'wal'}`);
    }
    const deferred = empty.length > 0 ? await secondaryIndexes(db, store, empty) : [];
    for (const index of deferred) await sql.raw(`drop index ${quote(index.name)}`).execute(db);
    const fills = sqlite ? await deferredFills(db, empty) : [];
    for (const { definition } of fills) {
      const name = /^CREATE TRIGGER (\S+)/i.exec(definition)?.[1] ?? '';
      await sql.raw(`drop trigger ${name}`).execute(db);
    }
    onIndexes?.('dropped', deferred.length + fills.length);

    await sql`begin`.execute(db);
    let committed = false;
    try {
      const loader = new Loader(db, store.sqlite);
      const result = await load(loader, db);
      await loader.settle();
      await sql`commit`.execute(db);
      committed = true;
      return result;
    } finally {
      if (!committed) await sql`rollback`.execute(db).catch(() => undefined);
      onIndexes?.('rebuilding', deferred.length + fills.length);
      for (const index of deferred) await sql.raw(index.definition).execute(db);
      for (const { fill, definition } of fills) {
        await sql.raw(fill).execute(db);
        await sql.raw(definition).execute(db);
      }
      onIndexes?.('rebuilt', deferred.length + fills.length);
      for (const statement of restore) await sql.raw(statement).execute(db);
      if (sqlite) await sql`pragma wal_checkpoint(truncate)`.execute(db);
      // Statistics the planner would have from autovacuum on a database that grew over time.
      else for (const table of tables) await sql.raw(`vacuum analyze ${quote(table)}`).execute(db);
    }
  });
}
