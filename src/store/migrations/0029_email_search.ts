// Full-text search over every email of a thread, not only its latest: an email thread is one message whose body is
// its latest email's text, so migration 0018's index found older emails by nothing. Each email is indexed on its own
// (subject, then body as plain text), kept in the same transaction as the email (triggers on SQLite, an expression
// index on PostgreSQL); a message matches when its own text or one of its emails holds every word.
//
// SQLite: a contentless FTS5 table keyed by the email's rowid (VACUUM keeps rowids of tables with a text primary
// key), fed by triggers through `switchboard_email_text(subject, body)`, which the store registers on every
// connection (src/store/search-text.ts: the HTML body as plain text, so markup is never a match).
// PostgreSQL: a GIN index over the same configuration as messages (migration 0018); its parser drops HTML tags and
// entities by itself.
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.js';

async function sqlite(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE VIRTUAL TABLE emails_fts USING fts5(
    text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`.execute(db);
  await sql`INSERT INTO emails_fts (rowid, text)
    SELECT rowid, switchboard_email_text(subject, body) FROM emails ORDER BY rowid`.execute(db);
  await sql`CREATE TRIGGER emails_fts_insert AFTER INSERT ON emails BEGIN
    INSERT INTO emails_fts (rowid, text) VALUES (new.rowid, switchboard_email_text(new.subject, new.body));
  END`.execute(db);
  await sql`CREATE TRIGGER emails_fts_delete AFTER DELETE ON emails BEGIN
    DELETE FROM emails_fts WHERE rowid = old.rowid;
  END`.execute(db);
  await sql`CREATE TRIGGER emails_fts_update AFTER UPDATE OF subject, body ON emails
    WHEN old.subject IS NOT new.subject OR old.body IS NOT new.body BEGIN
    DELETE FROM emails_fts WHERE rowid = old.rowid;
    INSERT INTO emails_fts (rowid, text) VALUES (new.rowid, switchboard_email_text(new.subject, new.body));
  END`.execute(db);
}

async function postgres(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX emails_text ON emails
    USING gin (to_tsvector('switchboard_text', coalesce(subject, '') || ' ' || body))`.execute(db);
}

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine === 'sqlite') await sqlite(db);
  else await postgres(db);
}
