// Messages and emails that attach stored files, by location: a file is removed only once no message or email of its
// location names it any more, found without reading the location's other messages (a partial index: few messages
// carry stored files).
import { type Kysely, sql } from 'kysely';

/**
 * The predicate of the indexes. Queries repeat it verbatim, as a literal (never a parameter), to use them:
 * ATTACHES_STORED_FILE in src/store/repositories/files.ts.
 */
const ATTACHES_STORED_FILE = sql<boolean>`attachments like '%/files/%'`;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['messages', 'emails']) {
    await db.schema
      .createIndex(`${table}_attached_files`)
      .on(table)
      .column('location_id')
      .where(ATTACHES_STORED_FILE)
      .execute();
  }
}
