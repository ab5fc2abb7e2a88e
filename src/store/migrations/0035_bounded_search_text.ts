// PostgreSQL's full-text indexes (migrations 0018, 0029) read a bounded start of each text: a tsvector holds at most
// 1 MB, and an email of megabytes of distinct words (an inbound email may be 36 MiB) failed its insert on PostgreSQL
// alone, where SQLite's FTS5 took it. 100 000 characters make at most about 800 kB of tsvector (a lexeme of up to
// four bytes a character and its entry per word), and are far more text than any real message's words. The
// searches use the same expressions (src/store/repositories/message-search.ts), so they keep using these indexes.
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  if (engine !== 'postgres') return;
  await sql`DROP INDEX messages_text`.execute(db);
  await sql`CREATE INDEX messages_text ON messages
    USING gin (to_tsvector('switchboard_text', left(coalesce(body, ''), 100000)))`.execute(db);
  await sql`DROP INDEX emails_text`.execute(db);
  await sql`CREATE INDEX emails_text ON emails
    USING gin (to_tsvector('switchboard_text', left(coalesce(subject, '') || ' ' || body, 100000)))`.execute(db);
}
