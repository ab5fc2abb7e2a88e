// Locations, tokens, contacts and conversations, with the indexes that serve every search path.
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.js';

const SORT_COLUMNS = ['last_message_at', 'last_manual_message_at'] as const;

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('instance_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('locations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('company_id', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('location_id', 'text', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('name', 'text')
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('revoked_at', bigint)
    .execute();
  await db.schema.createIndex('api_tokens_location').on('api_tokens').columns(['location_id', 'created_at']).execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('location_id', 'text', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('full_name', 'text')
    .addColumn('email', 'text')
    .addColumn('email_lower', 'text')
    .addColumn('phone', 'text')
    .addColumn('company_name', 'text')
    .addColumn('assigned_to', 'text')
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('dnd', 'integer', (c) => c.notNull())
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('date_added', bigint, (c) => c.notNull())
    .addColumn('date_updated', bigint, (c) => c.notNull())
    .execute();
  // Upsert matches on email or phone within a location.
  await db.schema
    .createIndex('contacts_location_email')
    .on('contacts')
    .columns(['location_id', 'email_lower'])
    .execute();
  await db.schema.createIndex('contacts_location_phone').on('contacts').columns(['location_id', 'phone']).execute();

  await db.schema
    .createTable('conversations')
    .addColumn('seq', engine === 'postgres' ? 'bigint' : 'integer', (c) =>
      engine === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
    )
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('location_id', 'text', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('type', 'integer', (c) => c.notNull())
    .addColumn('assigned_to', 'text')
    .addColumn('unread_count', 'integer', (c) => c.notNull())
    .addColumn('starred', 'integer', (c) => c.notNull())
    .addColumn('inbox', 'integer', (c) => c.notNull())
    .addColumn('feedback', 'text')
    .addColumn('last_message_body', 'text')
    .addColumn('last_message_type', 'text')
    .addColumn('last_message_direction', 'text')
    .addColumn('last_outbound_action', 'text')
    .addColumn('last_message_provider_id', 'text')
    .addColumn('last_message_at', bigint, (c) => c.notNull())
    .addColumn('last_manual_message_at', bigint, (c) => c.notNull())
    .addColumn('due_at', bigint)
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('date_added', bigint, (c) => c.notNull())
    .addColumn('date_updated', bigint, (c) => c.notNull())
    .execute();
  // One conversation per contact per location; also serves the contactId filter.
  await db.schema
    .createIndex('conversations_location_contact')
    .on('conversations')
    .columns(['location_id', 'contact_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('conversations_location_added')
    .on('conversations')
    .columns(['location_id', 'date_added', 'seq'])
    .execute();
  await db.schema
    .createIndex('conversations_location_due')
    .on('conversations')
    .columns(['location_id', 'due_at', 'seq'])
    .execute();

  // Every filter column followed by the sort key and the tiebreak, so a filtered page is an index range.
  for (const sort of SORT_COLUMNS) {
    const tag = sort === 'last_message_at' ? 'last' : 'manual';
    await db.schema
      .createIndex(`conversations_${tag}`)
      .on('conversations')
      .columns(['location_id', sort, 'seq'])
      .execute();
    for (const column of ['assigned_to', 'last_message_type', 'last_message_direction', 'last_outbound_action']) {
      await db.schema
        .createIndex(`conversations_${tag}_${column}`)
        .on('conversations')
        .columns(['location_id', column, sort, 'seq'])
        .execute();
    }
    await db.schema
      .createIndex(`conversations_${tag}_unread`)
      .on('conversations')
      .columns(['location_id', sort, 'seq'])
      .where(sql.ref('unread_count'), '>', 0)
      .execute();
    await db.schema
      .createIndex(`conversations_${tag}_starred`)
      .on('conversations')
      .columns(['location_id', sort, 'seq'])
      .where(sql.ref('starred'), '=', 1)
      .execute();
  }

  for (const table of ['conversation_followers', 'conversation_mentions']) {
    await db.schema
      .createTable(table)
      .addColumn('location_id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['conversation_id', 'user_id'])
      .execute();
    await db.schema
      .createIndex(`${table}_user`)
      .on(table)
      .columns(['location_id', 'user_id', 'conversation_id'])
      .execute();
  }

  // conversation_seq repeats the conversation's seq so that sorting by a profile's score is one index range on
  // (score, seq) in that profile, keyset-paged like every other sort. Scores are doubles on both engines.
  await db.schema
    .createTable('conversation_scores')
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('conversation_seq', bigint, (c) => c.notNull())
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('score', engine === 'postgres' ? 'double precision' : 'real', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_scores_pk', ['conversation_id', 'profile_id'])
    .execute();
  await db.schema
    .createIndex('conversation_scores_profile')
    .on('conversation_scores')
    .columns(['location_id', 'profile_id', 'score', 'conversation_seq'])
    .execute();

  // Substring search over contact name, email, phone and the last message body.
  if (engine === 'postgres') {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
    await sql`CREATE INDEX conversations_search_trgm ON conversations USING gin (search_text gin_trgm_ops)`.execute(db);
  } else {
    await sql`CREATE VIRTUAL TABLE conversations_fts USING fts5(
      search_text, content='conversations', content_rowid='seq', tokenize='trigram')`.execute(db);
    await sql`CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN
      INSERT INTO conversations_fts(rowid, search_text) VALUES (new.seq, new.search_text);
    END`.execute(db);
    await sql`CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN
      INSERT INTO conversations_fts(conversations_fts, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
    END`.execute(db);
    await sql`CREATE TRIGGER conversations_fts_update AFTER UPDATE OF search_text ON conversations BEGIN
      INSERT INTO conversations_fts(conversations_fts, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
      INSERT INTO conversations_fts(rowid, search_text) VALUES (new.seq, new.search_text);
    END`.execute(db);
  }
}
