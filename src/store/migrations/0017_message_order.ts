// Messages stored the way a conversation's history reads them: by (conversation, date, seq), the date order the
// history, its paging and a per-conversation export list them in.
//
// SQLite: the table is rebuilt WITHOUT ROWID with that primary key, so a page of 20 messages is two or three
// adjacent b-tree pages instead of one page per message (rows were in arrival order across all conversations).
// `seq` stays the global tiebreak and the full-text rowid; SQLite no longer numbers it, the insert does
// (repositories/messages.ts), served by a unique index. Columns, indexes and triggers are read back from the
// catalog, so whatever earlier migrations put on the table comes across.
//
// PostgreSQL: the (conversation, date, seq) index already exists (export's per-conversation filter); the old
// (conversation, seq) index goes, and the table is CLUSTERed on the new one once, so existing history is laid out in
// read order. PostgreSQL does not keep a heap clustered as rows arrive; `CLUSTER messages` re-lays it when wanted.
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.js';

/** Indexes the clustered key makes redundant. */
const SUPERSEDED = ['messages_conversation', 'messages_export_conversation'];

interface Column {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
}

interface ForeignKey {
  id: number;
  table: string;
  from: string;
  to: string;
  on_delete: string;
  on_update: string;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function createClusteredTable(db: Kysely<unknown>): Promise<string> {
  const columns = (await sql<Column>`select * from pragma_table_info('messages')`.execute(db)).rows;
  const keys = (await sql<ForeignKey>`select * from pragma_foreign_key_list('messages')`.execute(db)).rows;
  const definitions = columns.map((column) => {
    if (column.name === 'seq') return '"seq" INTEGER NOT NULL';
    const notNull = column.notnull ? ' NOT NULL' : '';
    const fallback = column.dflt_value !== null ? ` DEFAULT ${column.dflt_value}` : '';
    return `${quote(column.name)} ${column.type}${notNull}${fallback}`;
  });
  for (const key of keys) {
    definitions.push(
      `FOREIGN KEY (${quote(key.from)}) REFERENCES ${quote(key.table)}(${quote(key.to)})` +
        ` ON DELETE ${key.on_delete} ON UPDATE ${key.on_update}`,
    );
  }
  definitions.push('PRIMARY KEY ("conversation_id", "date_added", "seq")');
  await sql.raw(`CREATE TABLE messages_clustered (${definitions.join(', ')}) WITHOUT ROWID`).execute(db);
  return columns.map((column) => quote(column.name)).join(', ');
}

async function sqlite(db: Kysely<unknown>): Promise<void> {
  // Dropping the old table must not cascade into emails and transcriptions: foreign keys are off for the swap
  // (the pragma is a no-op inside a transaction, so it is set first) and checked before the commit.
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  // The migrator runs every pending migration in one transaction (and turns foreign keys off before it opens it):
  // the swap joins that transaction rather than opening its own.
  const inTransaction = (work: (tx: Kysely<unknown>) => Promise<void>) =>
    db.isTransaction ? work(db) : db.transaction().execute(work);
  try {
    await inTransaction(async (tx) => {
      const kept = await sql<{ type: string; name: string; sql: string }>`select type, name, sql from sqlite_master
        where tbl_name = 'messages' and type in ('index', 'trigger') and sql is not null`.execute(tx);
      const columns = await createClusteredTable(tx);
      await sql
        .raw(`INSERT INTO messages_clustered (${columns}) SELECT ${columns} FROM messages
          ORDER BY conversation_id, date_added, seq`)
        .execute(tx);
      await sql`DROP TABLE messages`.execute(tx);
      await sql`ALTER TABLE messages_clustered RENAME TO messages`.execute(tx);
      // The id was a column UNIQUE constraint (an automatic index); seq was the rowid. Both are now plain indexes.
      await sql`CREATE UNIQUE INDEX messages_id ON messages (id)`.execute(tx);
      await sql`CREATE UNIQUE INDEX messages_seq ON messages (seq)`.execute(tx);
      for (const entry of kept.rows) {
        if (entry.type === 'index' && SUPERSEDED.includes(entry.name)) continue;
        await sql.raw(entry.sql).execute(tx);
      }
      const broken = await sql`select * from pragma_foreign_key_check`.execute(tx);
      if (broken.rows.length > 0) throw new Error(`messages rebuild broke ${broken.rows.length} foreign keys`);
    });
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}

async function postgres(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER INDEX messages_export_conversation RENAME TO messages_history`.execute(db);
  await sql`DROP INDEX messages_conversation`.execute(db);
  await sql`CLUSTER messages USING messages_history`.execute(db);
  await sql`ANALYZE messages`.execute(db);
}

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine === 'sqlite') await sqlite(db);
  else await postgres(db);
}
