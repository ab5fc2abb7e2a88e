// Reviews: a conversation that carries a customer review (set through the admin API) is a review conversation,
// the one kind review-reply answers.
import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('conversation_reviews')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey().references('conversations.id').onDelete('cascade'))
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('review_id', 'text', (c) => c.notNull())
    .addColumn('rating', 'integer')
    .addColumn('comment', 'text')
    .addColumn('reviewer_name', 'text')
    .addColumn('reply_message_id', 'text')
    .addColumn('date_added', bigint, (c) => c.notNull())
    .addColumn('date_updated', bigint, (c) => c.notNull())
    .execute();
  // A review is answered in one conversation only.
  await db.schema
    .createIndex('conversation_reviews_review')
    .on('conversation_reviews')
    .columns(['location_id', 'review_id'])
    .unique()
    .execute();
}
