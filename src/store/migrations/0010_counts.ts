// Exact counts kept as rows change, so the `total` of a whole-location search or export is one lookup instead of a
// scan of up to millions of index entries (and stays one while writes arrive, when a remembered count would not).
// Triggers keep them, so no write path can forget to. SQLite keeps one row per count, updated in place (it has a
// single writer). PostgreSQL appends a delta row per statement instead, so concurrent writers never queue on a
// shared counter row; a count is the sum of its rows, folded back into one from time to time (location-counts.ts).
//
// The location's event sequence moves to a table of its own: every write advances it, and as a column of
// `locations` each advance also retired the cache of authenticated tokens, which watches that table.
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.js';

/** What is counted, per location: conversations, unread conversations, and messages by channel except scheduled ones. */
const INITIAL_COUNTS = sql`
  SELECT location_id, 'conversations' AS name, count(*) AS n FROM conversations GROUP BY location_id
  UNION ALL
  SELECT location_id, 'conversations:unread', count(*) FROM conversations WHERE unread_count > 0 GROUP BY location_id
  UNION ALL
  SELECT location_id, 'messages:' || channel, count(*) FROM messages WHERE status <> 'scheduled'
    GROUP BY location_id, channel`;

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const add = (location: string, name: string, n: string, when = 'true') =>
    `INSERT INTO location_counts (location_id, name, n) SELECT ${location}, ${name}, ${n} WHERE ${when}
       ON CONFLICT (location_id, name) DO UPDATE SET n = n + excluded.n;`;
  const statements = [
    `CREATE TRIGGER conversations_counted_insert AFTER INSERT ON conversations BEGIN
       ${add('new.location_id', "'conversations'", '1')}
       ${add('new.location_id', "'conversations:unread'", '1', 'new.unread_count > 0')}
     END`,
    `CREATE TRIGGER conversations_counted_delete AFTER DELETE ON conversations BEGIN
       ${add('old.location_id', "'conversations'", '-1')}
       ${add('old.location_id', "'conversations:unread'", '-1', 'old.unread_count > 0')}
     END`,
    `CREATE TRIGGER conversations_counted_unread AFTER UPDATE OF unread_count ON conversations
       WHEN (old.unread_count > 0) <> (new.unread_count > 0) BEGIN
       ${add('new.location_id', "'conversations:unread'", 'CASE WHEN new.unread_count > 0 THEN 1 ELSE -1 END')}
     END`,
    `CREATE TRIGGER messages_counted_insert AFTER INSERT ON messages WHEN new.status <> 'scheduled' BEGIN
       ${add('new.location_id', "'messages:' || new.channel", '1')}
     END`,
    `CREATE TRIGGER messages_counted_delete AFTER DELETE ON messages WHEN old.status <> 'scheduled' BEGIN
       ${add('old.location_id', "'messages:' || old.channel", '-1')}
     END`,
    `CREATE TRIGGER messages_counted_update AFTER UPDATE OF status, channel ON messages
       WHEN (old.status <> 'scheduled' OR new.status <> 'scheduled') AND
         (old.channel <> new.channel OR (old.status = 'scheduled') <> (new.status = 'scheduled')) BEGIN
       ${add('old.location_id', "'messages:' || old.channel", '-1', "old.status <> 'scheduled'")}
       ${add('new.location_id', "'messages:' || new.channel", '1', "new.status <> 'scheduled'")}
     END`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** Statement-level triggers: one delta row per counted name and statement, however many rows it touched. */
async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  const deltas = (of: string, sign: string) => `
    SELECT location_id, 'conversations' AS name, ${sign} AS n FROM ${of}
    UNION ALL SELECT location_id, 'conversations:unread', ${sign} FROM ${of} WHERE unread_count > 0`;
  const messageDeltas = (of: string, sign: string) => `
    SELECT location_id, 'messages:' || channel AS name, ${sign} AS n FROM ${of} WHERE status <> 'scheduled'`;
  const fn = (table: string, rows: (of: string, sign: string) => string, updateRows: string) => `
    CREATE FUNCTION ${table}_counted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO location_counts (location_id, name, n)
          SELECT location_id, name, sum(n) FROM (${rows('new_rows', '1')}) d GROUP BY location_id, name;
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO location_counts (location_id, name, n)
          SELECT location_id, name, sum(n) FROM (${rows('old_rows', '-1')}) d GROUP BY location_id, name;
      ELSE
        INSERT INTO location_counts (location_id, name, n)
          SELECT location_id, name, sum(n) FROM (${updateRows}) d
          GROUP BY location_id, name HAVING sum(n) <> 0;
      END IF;
      RETURN NULL;
    END $$`;
  const unreadOnly = (of: string, sign: string) =>
    `SELECT location_id, 'conversations:unread' AS name, ${sign} AS n FROM ${of} WHERE unread_count > 0`;
  await sql
    .raw(fn('conversations', deltas, `${unreadOnly('new_rows', '1')} UNION ALL ${unreadOnly('old_rows', '-1')}`))
    .execute(db);
  await sql
    .raw(
      fn('messages', messageDeltas, `${messageDeltas('new_rows', '1')} UNION ALL ${messageDeltas('old_rows', '-1')}`),
    )
    .execute(db);
  for (const table of ['conversations', 'messages']) {
    // Transition tables cannot be combined with a column list (UPDATE OF), so every update statement runs the
    // trigger; those that change no count add nothing (HAVING sum(n) <> 0).
    await sql
      .raw(`CREATE TRIGGER ${table}_counted_insert AFTER INSERT ON ${table}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${table}_counted()`)
      .execute(db);
    await sql
      .raw(`CREATE TRIGGER ${table}_counted_delete AFTER DELETE ON ${table}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${table}_counted()`)
      .execute(db);
    await sql
      .raw(`CREATE TRIGGER ${table}_counted_update AFTER UPDATE ON ${table}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${table}_counted()`)
      .execute(db);
  }
}

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  let counts = db.schema
    .createTable('location_counts')
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('n', bigint, (c) => c.notNull());
  if (engine === 'sqlite') counts = counts.addPrimaryKeyConstraint('location_counts_pk', ['location_id', 'name']);
  await counts.execute();
  if (engine === 'postgres') {
    await db.schema
      .createIndex('location_counts_name')
      .on('location_counts')
      .columns(['location_id', 'name'])
      .execute();
  }
  await sql`INSERT INTO location_counts (location_id, name, n) ${INITIAL_COUNTS}`.execute(db);
  if (engine === 'sqlite') await sqliteTriggers(db);
  else await postgresTriggers(db);

  await db.schema
    .createTable('location_event_seqs')
    .addColumn('location_id', 'text', (c) => c.primaryKey().references('locations.id').onDelete('cascade'))
    .addColumn('seq', bigint, (c) => c.notNull())
    .execute();
  await sql`INSERT INTO location_event_seqs (location_id, seq) SELECT id, event_seq FROM locations`.execute(db);
  await db.schema.alterTable('locations').dropColumn('event_seq').execute();
}
