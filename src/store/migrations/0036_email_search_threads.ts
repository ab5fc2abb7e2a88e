// SQLite: which message (its seq) each email belongs to, beside the email full-text index (migration 0029). A search
// read its email matches as thread ids and then walked the location checking every message against them, which
// looked up each walked message's row: at 10M messages a first name took ~100 ms a page. With the thread's seq
// beside each email, email and message matches are one list of seqs, checked from the location's date index alone.
// Kept by triggers in the email's transaction, like the index itself. PostgreSQL matches by expression indexes and
// needs none of this.
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine !== 'sqlite') return;
  await sql`CREATE TABLE email_threads (
    email_rowid INTEGER PRIMARY KEY,
    message_seq INTEGER NOT NULL
  )`.execute(db);
  await sql`INSERT INTO email_threads (email_rowid, message_seq)
    SELECT emails.rowid, messages.seq FROM emails JOIN messages ON messages.id = emails.message_id
    ORDER BY emails.rowid`.execute(db);
  await sql`CREATE TRIGGER email_threads_insert AFTER INSERT ON emails BEGIN
    INSERT INTO email_threads (email_rowid, message_seq) SELECT new.rowid, seq FROM messages WHERE id = new.message_id;
  END`.execute(db);
  await sql`CREATE TRIGGER email_threads_update AFTER UPDATE OF message_id ON emails
    WHEN old.message_id IS NOT new.message_id BEGIN
    DELETE FROM email_threads WHERE email_rowid = old.rowid;
    INSERT INTO email_threads (email_rowid, message_seq) SELECT new.rowid, seq FROM messages WHERE id = new.message_id;
  END`.execute(db);
  await sql`CREATE TRIGGER email_threads_delete AFTER DELETE ON emails BEGIN
    DELETE FROM email_threads WHERE email_rowid = old.rowid;
  END`.execute(db);
}
