// Numbered, forward-only migrations, run in order on both engines through Kysely's Migrator.
import { DEFAULT_MIGRATION_TABLE, type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Engine } from './database.js';
import * as m0001 from './migrations/0001_foundation.js';
import * as m0002 from './migrations/0002_messages.js';
import * as m0003 from './migrations/0003_reviews.js';
import * as m0004 from './migrations/0004_events.js';
import * as m0005 from './migrations/0005_files.js';
import * as m0006 from './migrations/0006_apps.js';
import * as m0007 from './migrations/0007_email.js';
import * as m0008 from './migrations/0008_live_chat.js';
import * as m0009 from './migrations/0009_oauth.js';
import * as m0010 from './migrations/0010_counts.js';
import * as m0012 from './migrations/0012_sandbox.js';
import * as m0014 from './migrations/0014_blob_collection.js';
import * as m0015 from './migrations/0015_event_numbering.js';
import * as m0016 from './migrations/0016_contact_search.js';
import * as m0017 from './migrations/0017_message_order.js';
import * as m0018 from './migrations/0018_message_search.js';
import * as m0020 from './migrations/0020_console_sessions.js';
import * as m0022 from './migrations/0022_job_holders.js';
import * as m0024 from './migrations/0024_attached_files.js';
import * as m0025 from './migrations/0025_journal_ids.js';
import * as m0026 from './migrations/0026_number_events_function.js';
import * as m0029 from './migrations/0029_email_search.js';
import * as m0031 from './migrations/0031_ended_webhook_deliveries.js';
import * as m0032 from './migrations/0032_journal_file.js';
import * as m0034 from './migrations/0034_contact_lookups.js';
import * as m0035 from './migrations/0035_bounded_search_text.js';
import * as m0036 from './migrations/0036_email_search_threads.js';
import * as m0037 from './migrations/0037_contact_counts.js';
import * as m0038 from './migrations/0038_contact_sort_indexes.js';
import type { Database } from './schema.js';

type EngineMigration = { up(db: Kysely<unknown>, engine: Engine): Promise<void> };

const MIGRATIONS: Record<string, EngineMigration> = {
  '0001_foundation': m0001,
  '0002_messages': m0002,
  '0003_reviews': m0003,
  '0004_events': m0004,
  '0005_files': m0005,
  '0006_apps': m0006,
  '0007_email': m0007,
  '0008_live_chat': m0008,
  '0009_oauth': m0009,
  '0010_counts': m0010,
  '0012_sandbox': m0012,
  '0014_blob_collection': m0014,
  '0015_event_numbering': m0015,
  '0016_contact_search': m0016,
  '0017_message_order': m0017,
  '0018_message_search': m0018,
  '0020_console_sessions': m0020,
  '0022_job_holders': m0022,
  '0024_attached_files': m0024,
  '0025_journal_ids': m0025,
  '0026_number_events_function': m0026,
  '0029_email_search': m0029,
  '0031_ended_webhook_deliveries': m0031,
  '0032_journal_file': m0032,
  '0034_contact_lookups': m0034,
  '0035_bounded_search_text': m0035,
  '0036_email_search_threads': m0036,
  '0037_contact_counts': m0037,
  '0038_contact_sort_indexes': m0038,
};

class StaticProvider implements MigrationProvider {
  constructor(private readonly engine: Engine) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const entries = Object.entries(MIGRATIONS).map(([name, migration]) => [
      name,
      { up: (db: Kysely<unknown>) => migration.up(db, this.engine) },
    ]);
    return Object.fromEntries(entries);
  }
}

/**
 * The migrations this server knows that the database has not run (readiness): read from Kysely's table of those run
 * (in our schema, first on the search path), without the catalogue walk of Kysely's own getMigrations().
 */
export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  const run = await sql<{ name: string }>`select name from ${sql.table(DEFAULT_MIGRATION_TABLE)}`.execute(db);
  const applied = new Set(run.rows.map((row) => row.name));
  return Object.keys(MIGRATIONS).filter((name) => !applied.has(name));
}

/** Runs every migration not yet run, or only up to and including `upTo` (tests build a database as it once was). */
export async function migrateToLatest(db: Kysely<Database>, engine: Engine, upTo?: string): Promise<string[]> {
  // Kysely looks for its migration tables in every schema it can see: on PostgreSQL, pin them to ours, or another
  // schema's tables (a second Switchboard, a test database) make it skip creating them here.
  const schema =
    engine === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider: new StaticProvider(engine),
    ...(schema ? { migrationTableSchema: schema } : {}),
    // Numbers are reserved per change and land out of order (0016 after 0017): a database migrated in between runs
    // the late one instead of refusing to start. Each migration touches its own tables, so order among them is free.
    allowUnorderedMigrations: true,
  });
  // On SQLite the pending migrations run in one transaction (src/store/sqlite-dialect.ts), inside which
  // `PRAGMA foreign_keys` does nothing: a migration that rebuilds a table needs them off, so they are off for the run
  // and checked before they are back on.
  if (engine === 'sqlite') await sql`PRAGMA foreign_keys = OFF`.execute(db);
  let outcome: Awaited<ReturnType<Migrator['migrateToLatest']>>;
  try {
    outcome = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
  } finally {
    if (engine === 'sqlite') await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
  const { error, results } = outcome;
  if (error) throw error instanceof Error ? error : new Error(String(error));
  const ran = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  // The check reads every row of every table with a foreign key (seconds on a store of millions of messages): only
  // after a run that could have broken one, never on an ordinary start.
  if (engine === 'sqlite' && ran.length > 0) {
    const broken = await sql`select * from pragma_foreign_key_check`.execute(db);
    if (broken.rows.length > 0) throw new Error(`migrations left ${broken.rows.length} broken foreign keys`);
  }
  return ran;
}
