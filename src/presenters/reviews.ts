// A conversation's review → the admin API's wire shape.
import type { ReviewRow } from '../store/repositories/reviews.js';

export function presentReview(row: ReviewRow) {
  const review: Record<string, unknown> = {
    reviewId: row.review_id,
    dateAdded: new Date(row.date_added).toISOString(),
    dateUpdated: new Date(row.date_updated).toISOString(),
  };
  if (row.rating !== null) review.rating = row.rating;
  if (row.comment !== null) review.comment = row.comment;
  if (row.reviewer_name !== null) review.reviewerName = row.reviewer_name;
  if (row.reply_message_id !== null) review.replyMessageId = row.reply_message_id;
  return review;
}
