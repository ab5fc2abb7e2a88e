// Messages, email threads, the durable job table, the dev outbox and idempotency keys.
import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('messages')
    .addColumn('seq', bigint, (c) =>
      engine === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
    )
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('type', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('attachments', 'text', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('sub_type', 'text')
    .addColumn('user_id', 'text')
    .addColumn('conversation_provider_id', 'text')
    .addColumn('alt_key', 'text')
    .addColumn('alt_id', 'text')
    .addColumn('thread_id', 'text')
    .addColumn('chat_widget_id', 'text')
    .addColumn('error', 'text')
    .addColumn('scheduled_at', bigint)
    .addColumn('date_added', bigint, (c) => c.notNull())
    .addColumn('date_updated', bigint, (c) => c.notNull())
    .execute();
  // Newest-first history of a conversation, keyset-paged by seq.
  await db.schema.createIndex('messages_conversation').on('messages').columns(['conversation_id', 'seq']).execute();
  // Export: by creation or update time, optionally narrowed to a channel.
  await db.schema
    .createIndex('messages_export_added')
    .on('messages')
    .columns(['location_id', 'date_added', 'seq'])
    .execute();
  await db.schema
    .createIndex('messages_export_updated')
    .on('messages')
    .columns(['location_id', 'date_updated', 'seq'])
    .execute();
  await db.schema
    .createIndex('messages_export_channel')
    .on('messages')
    .columns(['location_id', 'channel', 'date_added', 'seq'])
    .execute();
  // Export narrowed to one conversation or one contact (by creation time, the default sort).
  await db.schema
    .createIndex('messages_export_conversation')
    .on('messages')
    .columns(['conversation_id', 'date_added', 'seq'])
    .execute();
  await db.schema
    .createIndex('messages_export_contact')
    .on('messages')
    .columns(['location_id', 'contact_id', 'date_added', 'seq'])
    .execute();
  // A provider's own id (altId) identifies one message per location: repeats are idempotent.
  await db.schema.createIndex('messages_alt').on('messages').columns(['location_id', 'alt_key']).unique().execute();
  await db.schema.createIndex('messages_thread').on('messages').columns(['conversation_id', 'thread_id']).execute();

  await db.schema
    .createTable('emails')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'text', (c) => c.notNull())
    .addColumn('alt_id', 'text')
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('attachments', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('to_addresses', 'text', (c) => c.notNull())
    .addColumn('cc', 'text', (c) => c.notNull())
    .addColumn('bcc', 'text', (c) => c.notNull())
    .addColumn('reply_to_message_id', 'text')
    .addColumn('source', 'text')
    .addColumn('conversation_provider_id', 'text')
    .addColumn('rfc_message_id', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('event_first_at', 'text', (c) => c.notNull())
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('open_tracking', 'integer', (c) => c.notNull())
    .addColumn('scheduled_at', bigint)
    .addColumn('date_added', bigint, (c) => c.notNull())
    .addColumn('date_updated', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('emails_message').on('emails').columns(['message_id', 'date_added']).execute();
  await db.schema.createIndex('emails_rfc').on('emails').columns(['location_id', 'rfc_message_id']).execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('run_at', bigint, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('locked_until', bigint)
    .addColumn('last_error', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();
  await db.schema.createIndex('jobs_subject').on('jobs').columns(['subject_id']).execute();

  await db.schema
    .createTable('dev_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('email_id', 'text')
    // One record per message (or email) however often a delivery is retried.
    .addColumn('delivery_key', 'text', (c) => c.notNull().unique())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('dev_outbox_location')
    .on('dev_outbox')
    .columns(['location_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['location_id', 'key'])
    .execute();
}
