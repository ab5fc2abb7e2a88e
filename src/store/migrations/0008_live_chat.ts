// Live chat: the widgets a location embeds on its sites (public ids), and the sessions of their visitors.
import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('live_chat_widgets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('location_id', 'text', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('greeting', 'text')
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('date_added', bigint, (c) => c.notNull())
    .addColumn('date_updated', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('live_chat_widgets_location')
    .on('live_chat_widgets')
    .columns(['location_id', 'date_added'])
    .execute();

  // A session is one visitor's browser: its id is the visitorId agents see; the token is stored as a digest.
  await db.schema
    .createTable('live_chat_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('widget_id', 'text', (c) => c.notNull().references('live_chat_widgets.id').onDelete('cascade'))
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    // The location's event seq when the session began: its stream replays from there.
    .addColumn('start_seq', bigint, (c) => c.notNull())
    .addColumn('date_added', bigint, (c) => c.notNull())
    .addColumn('expires_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('live_chat_sessions_expiry').on('live_chat_sessions').columns(['expires_at']).execute();
}
