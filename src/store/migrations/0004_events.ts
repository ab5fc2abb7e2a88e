// The domain event log: every change worth telling (webhooks, the realtime stream) is appended here in the
// transaction of the change, numbered per location without gaps.
import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .alterTable('locations')
    .addColumn('event_seq', bigint, (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('domain_events')
    .addColumn('location_id', 'text', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('seq', bigint, (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('domain_events_pk', ['location_id', 'seq'])
    .execute();
  // Pruning the retained log by age.
  await db.schema.createIndex('domain_events_created').on('domain_events').columns(['created_at']).execute();
}
