// Full-text search over every message's text, kept in the same transaction as the message (triggers on SQLite, an
// expression index on PostgreSQL). Both engines fold case and accents and split on Unicode word boundaries without
// stemming, so English and Spanish text match alike: "direccion" finds "Dirección", and a word matches as a prefix
// ("address" finds "addresses"). See docs/message-search.md.
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.js';

async function sqlite(db: Kysely<unknown>): Promise<void> {
  // Contentless: the text already lives in messages.body, and highlights are drawn from it there.
  await sql`CREATE VIRTUAL TABLE messages_fts USING fts5(
    body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`.execute(db);
  await sql`INSERT INTO messages_fts (rowid, body) SELECT seq, body FROM messages WHERE body <> ''`.execute(db);
  await sql`CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.body <> '' BEGIN
    INSERT INTO messages_fts (rowid, body) VALUES (new.seq, new.body);
  END`.execute(db);
  await sql`CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    DELETE FROM messages_fts WHERE rowid = old.seq;
  END`.execute(db);
  await sql`CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages
    WHEN old.body IS NOT new.body BEGIN
    DELETE FROM messages_fts WHERE rowid = old.seq;
    INSERT INTO messages_fts (rowid, body) SELECT new.seq, new.body WHERE new.body <> '';
  END`.execute(db);
}

async function postgres(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS unaccent`.execute(db);
  // `simple` (lower-casing, no stemming, no stop words) behind unaccent: one configuration for every language.
  await sql`CREATE TEXT SEARCH CONFIGURATION switchboard_text (COPY = simple)`.execute(db);
  await sql`ALTER TEXT SEARCH CONFIGURATION switchboard_text
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple`.execute(db);
  await sql`CREATE INDEX messages_text ON messages
    USING gin (to_tsvector('switchboard_text', coalesce(body, '')))`.execute(db);
}

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine === 'sqlite') await sqlite(db);
  else await postgres(db);
}
