// On SQLite the request journal lives in a database file of its own beside the main one (`<file>.requests`), attached
// to the same connection as `journal`. Every API call adds a row: kept in the main file, those rows went through the
// main WAL, its group-commit fsyncs and its checkpoints, and pushed the pages reads need out of the page cache; here
// they have their own WAL, cache and checkpoints. Its commits are not waited for: synchronous=NORMAL syncs only when a
// checkpoint runs (on the checkpointer's thread), so a power loss may lose the newest calls but never corrupts the file.
// Queries name the table without a schema: SQLite finds it in the attached file once migration 0032 has moved it.
import type { Database as SqliteDatabase } from 'better-sqlite3';

export function journalFileOf(file: string): string {
  return file === ':memory:' ? ':memory:' : `${file}.requests`;
}

/** The journal table as migrations 0012 and 0025 left it in the main file. */
const TABLE = `create table if not exists journal.request_journal (
  seq integer primary key autoincrement,
  location_id text not null,
  method text not null,
  path text not null,
  route text,
  query text not null,
  status integer not null,
  duration_ms real not null,
  token_id text,
  app_id text,
  trace_id text not null,
  request_body text,
  response_body text,
  created_at bigint not null
)`;

/** Attaches the journal file (made on first use, or again if it went missing: the journal is a record, not data). */
export function attachJournalFile(sqlite: SqliteDatabase, file: string): void {
  sqlite.prepare('attach database ? as journal').run(journalFileOf(file));
  sqlite.pragma('journal.journal_mode = WAL');
  sqlite.pragma('journal.synchronous = NORMAL');
  // Its own small cache: the journal is written far more than it is read.
  sqlite.pragma('journal.cache_size = -2048');
  sqlite.exec(TABLE);
  sqlite.exec('create index if not exists journal.request_journal_location on request_journal (location_id, seq)');
  sqlite.exec('create index if not exists journal.request_journal_created on request_journal (created_at)');
}
