// A job's holder: the runner that claimed it renews its lease while the job runs, and only it may record how the job
// ended, so a runner that lost its lease (a stall past it) cannot overwrite the claim of the runner that took over.
import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('locked_by', 'text').execute();
}
