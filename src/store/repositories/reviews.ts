// The review a review conversation carries.
import type { Executor } from '../executor.js';
import type { ConversationReviewsTable } from '../schema.js';

export type ReviewRow = ConversationReviewsTable;

/** Attaches a review to a conversation, replacing the one it had. */
export async function upsertReview(db: Executor, row: ReviewRow): Promise<void> {
  await db
    .insertInto('conversation_reviews')
    .values(row)
    .onConflict((oc) =>
      oc.column('conversation_id').doUpdateSet({
        review_id: row.review_id,
        rating: row.rating,
        comment: row.comment,
        reviewer_name: row.reviewer_name,
        reply_message_id: null,
        date_updated: row.date_updated,
      }),
    )
    .execute();
}

export async function findReview(db: Executor, conversationId: string): Promise<ReviewRow | undefined> {
  return db
    .selectFrom('conversation_reviews')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
}

export async function markReviewReplied(db: Executor, conversationId: string, messageId: string, now: number) {
  await db
    .updateTable('conversation_reviews')
    .set({ reply_message_id: messageId, date_updated: now })
    .where('conversation_id', '=', conversationId)
    .execute();
}
