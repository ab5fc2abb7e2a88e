// Housekeeping deletes webhook deliveries that ended long ago: an index finds them without reading the whole log.
import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createIndex('webhook_deliveries_ended')
    .on('webhook_deliveries')
    .columns(['status', 'updated_at'])
    .execute();
}
