// The sandbox's journal of public API calls (docs/sandbox.md): one row per request, newest read first per location,
// pruned by age and by count; and location indexes that let a reset clear the job, webhook, upload and session tables of one
// location without scanning every location's rows.
import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('request_journal')
    .addColumn('seq', bigint, (c) =>
      engine === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
    )
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('route', 'text')
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'real', (c) => c.notNull())
    .addColumn('token_id', 'text')
    .addColumn('app_id', 'text')
    .addColumn('trace_id', 'text', (c) => c.notNull())
    .addColumn('request_body', 'text')
    .addColumn('response_body', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('request_journal_location')
    .on('request_journal')
    .columns(['location_id', 'seq'])
    .execute();
  await db.schema.createIndex('request_journal_created').on('request_journal').columns(['created_at']).execute();
  for (const table of ['jobs', 'webhook_deliveries', 'file_uploads', 'live_chat_sessions']) {
    await db.schema.createIndex(`${table}_location`).on(table).column('location_id').execute();
  }
}
