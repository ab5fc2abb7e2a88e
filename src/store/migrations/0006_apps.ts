// Apps (integrations with scopes, tokens and a webhook URL), where they are installed, the conversation providers
// they own and where those are installed, and the webhook delivery log with every attempt.
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('apps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('webhook_url', 'text')
    // JSON list of the webhook types the app subscribes to; null: every type its scopes allow.
    .addColumn('webhook_events', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();

  // Keyed by location first: the webhook fan-out looks up the apps of a location on every change.
  await db.schema
    .createTable('app_installations')
    .addColumn('location_id', 'text', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('app_installations_pk', ['location_id', 'app_id'])
    .execute();
  await db.schema.createIndex('app_installations_app').on('app_installations').columns(['app_id']).execute();

  await db.schema
    .createTable('conversation_providers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('delivery_url', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('conversation_providers_app')
    .on('conversation_providers')
    .columns(['app_id', 'created_at'])
    .execute();

  // `type` repeats the provider's (which never changes) so that one default per channel is a unique index.
  await db.schema
    .createTable('provider_installations')
    .addColumn('location_id', 'text', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('provider_id', 'text', (c) => c.notNull().references('conversation_providers.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('provider_installations_pk', ['location_id', 'provider_id'])
    .execute();
  await db.schema
    .createIndex('provider_installations_default')
    .on('provider_installations')
    .columns(['location_id', 'type'])
    .unique()
    .where(sql.ref('is_default'), '=', 1)
    .execute();

  // A token may belong to an app (its provider reports and inbound messages are the app's).
  await db.schema.alterTable('api_tokens').addColumn('app_id', 'text').execute();
  await db.schema.createIndex('api_tokens_app').on('api_tokens').columns(['app_id', 'location_id']).execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    // The exact bytes signed and sent, so every attempt and a redelivery send the same body.
    .addColumn('body', 'text', (c) => c.notNull())
    // pending → delivered | dead
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', bigint)
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_app')
    .on('webhook_deliveries')
    .columns(['app_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('attempted_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_attempts_pk', ['delivery_id', 'attempt'])
    .execute();
}
