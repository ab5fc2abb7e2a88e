// A location's contacts counted as they are written, like its conversations (migration 0010): a contact list with no
// filter (GET /contacts/, POST /contacts/search without filters, the way a sync pages through every contact) answers
// its `total` from one row instead of counting the location's index, which took 80–113 ms a page on SQLite at
// 1.2M contacts. No write path moves a contact to another location, but the count follows one that did all the same.
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.js';

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const add = (location: string, n: string) =>
    `INSERT INTO location_counts (location_id, name, n) VALUES (${location}, 'contacts', ${n})
       ON CONFLICT (location_id, name) DO UPDATE SET n = n + excluded.n;`;
  const statements = [
    `CREATE TRIGGER contacts_counted_insert AFTER INSERT ON contacts BEGIN ${add('new.location_id', '1')} END`,
    `CREATE TRIGGER contacts_counted_delete AFTER DELETE ON contacts BEGIN ${add('old.location_id', '-1')} END`,
    `CREATE TRIGGER contacts_counted_move AFTER UPDATE OF location_id ON contacts
       WHEN old.location_id <> new.location_id BEGIN
       ${add('old.location_id', '-1')}
       ${add('new.location_id', '1')}
     END`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/**
 * Inserts and deletes: statement-level, one delta row per location and statement, however many rows it touched (a
 * bulk load or a location reset is one row). A move: row-level, so the trigger runs only when location_id changes,
 * not on every update of a contact as a statement-level update trigger (which takes no column list) would.
 */
async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`CREATE FUNCTION contacts_counted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO location_counts (location_id, name, n)
          SELECT location_id, 'contacts', count(*) FROM new_rows GROUP BY location_id;
      ELSE
        INSERT INTO location_counts (location_id, name, n)
          SELECT location_id, 'contacts', -count(*) FROM old_rows GROUP BY location_id;
      END IF;
      RETURN NULL;
    END $$`)
    .execute(db);
  await sql
    .raw(`CREATE FUNCTION contacts_counted_move() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO location_counts (location_id, name, n)
        VALUES (OLD.location_id, 'contacts', -1), (NEW.location_id, 'contacts', 1);
      RETURN NULL;
    END $$`)
    .execute(db);
  await sql
    .raw(`CREATE TRIGGER contacts_counted_insert AFTER INSERT ON contacts
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION contacts_counted()`)
    .execute(db);
  await sql
    .raw(`CREATE TRIGGER contacts_counted_delete AFTER DELETE ON contacts
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION contacts_counted()`)
    .execute(db);
  await sql
    .raw(`CREATE TRIGGER contacts_counted_move AFTER UPDATE OF location_id ON contacts
      FOR EACH ROW WHEN (OLD.location_id IS DISTINCT FROM NEW.location_id) EXECUTE FUNCTION contacts_counted_move()`)
    .execute(db);
}

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  // Triggers first: on PostgreSQL creating them locks out writes to contacts until the migration commits, so no
  // contact is written between the count below and the triggers that count from then on.
  if (engine === 'sqlite') await sqliteTriggers(db);
  else await postgresTriggers(db);
  await sql`INSERT INTO location_counts (location_id, name, n)
    SELECT location_id, 'contacts', count(*) FROM contacts GROUP BY location_id`.execute(db);
}
