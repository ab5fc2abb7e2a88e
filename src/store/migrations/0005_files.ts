// Stored files (the blob store's index), direct uploads in flight, and call transcriptions.
import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', bigint, (c) => c.notNull())
    .addColumn('checksum', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text')
    .addColumn('date_added', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('files_location').on('files').columns(['location_id', 'date_added']).execute();

  await db.schema
    .createTable('file_uploads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('file_path', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('declared_type', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('max_size', bigint, (c) => c.notNull())
    .addColumn('expires_at', bigint, (c) => c.notNull())
    // pending (URL issued) → uploaded (bytes stored) → completed (a file) | rejected | expired (never completed)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('size', bigint)
    .addColumn('checksum', 'text')
    .addColumn('content_type', 'text')
    .addColumn('file_id', 'text')
    .addColumn('date_added', bigint, (c) => c.notNull())
    .addColumn('date_updated', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('file_uploads_expiry').on('file_uploads').columns(['status', 'expires_at']).execute();

  await db.schema
    .createTable('message_transcriptions')
    .addColumn('message_id', 'text', (c) => c.primaryKey().references('messages.id').onDelete('cascade'))
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('sentences', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('date_added', bigint, (c) => c.notNull())
    .addColumn('date_updated', bigint, (c) => c.notNull())
    .execute();
}
