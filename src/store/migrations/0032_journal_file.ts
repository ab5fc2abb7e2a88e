// SQLite: the request journal moves to its own attached file (src/store/journal-file.ts), rows and numbers kept; the
// main file's table goes, so unqualified queries find the attached one. PostgreSQL keeps it where it is.
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.js';

const COLUMNS = sql.raw(
  'seq, location_id, method, path, route, query, status, duration_ms, token_id, app_id, trace_id, request_body, ' +
    'response_body, created_at',
);

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine === 'postgres') return;
  // A rerun after a crash between the two files' commits finds the rows already copied.
  await sql`insert or ignore into journal.request_journal (${COLUMNS}) select ${COLUMNS} from main.request_journal`.execute(
    db,
  );
  await sql`drop table main.request_journal`.execute(db);
}
