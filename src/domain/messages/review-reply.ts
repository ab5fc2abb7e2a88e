// Review conversations: an operator attaches a customer review to a conversation (admin API), which makes it a
// review conversation (type 4); POST /conversations/messages/review-reply answers the review with an outbound
// TYPE_REVIEW message, handed to delivery like any send.

import type { DeliverMessagePayload } from '../../jobs/deliver-message.js';
import type { JobKind, JobRunner } from '../../jobs/runner.js';
import type { Store } from '../../store/database.js';
import { findConversation, lockConversation, updateConversation } from '../../store/repositories/conversations.js';
import { findReview, markReviewReplied, type ReviewRow, upsertReview } from '../../store/repositories/reviews.js';
import type { Clock } from '../clock.js';
import type { ConversationTypeNumber } from '../conversation-types.js';
import { DomainError, notFound } from '../errors.js';
import type { MessageTypeCode } from '../message-types.js';
import { requireContact } from './conversation-access.js';
import { messageRow } from './records.js';
import type { SendContext, SendResult } from './send.js';
import { summaryPatch } from './summary.js';

/** TYPE_REVIEW, in the message-type table and in the conversation-type table. */
const REVIEW_MESSAGE_TYPE: MessageTypeCode = 17;
const REVIEW_CONVERSATION_TYPE: ConversationTypeNumber = 4;

export interface ReviewInput {
  reviewId: string;
  rating?: number;
  comment?: string;
  reviewerName?: string;
}

export interface ReviewReplyInput {
  conversationId: string;
  locationId: string;
  message: string;
}

export async function replyToReview(ctx: SendContext, input: ReviewReplyInput): Promise<SendResult> {
  const text = input.message.trim();
  if (!text) throw new DomainError('VALIDATION_FAILED', ['message should not be empty']);
  const found = await findConversation(ctx.db, ctx.locationId, input.conversationId);
  if (!found) throw notFound('Conversation');
  const review = await findReview(ctx.db, found.id);
  if (!review) {
    throw new DomainError('BAD_REQUEST', `Conversation ${found.id} has no review to reply to (no reviewId)`);
  }
  const conversation = (await lockConversation(ctx.db, ctx.locationId, found.id)) ?? found;
  const contact = await requireContact(ctx.db, ctx.locationId, conversation.contact_id);
  const message = await ctx.tx.messages.insert(
    messageRow({
      locationId: ctx.locationId,
      conversationId: conversation.id,
      contactId: contact.id,
      type: REVIEW_MESSAGE_TYPE,
      direction: 'outbound',
      status: 'pending',
      body: text,
      meta: { reviewId: review.review_id },
      source: 'api',
      at: ctx.now,
      now: ctx.now,
    }),
  );
  await markReviewReplied(ctx.db, conversation.id, message.id, ctx.now);
  const summary = {
    type: REVIEW_MESSAGE_TYPE,
    direction: 'outbound' as const,
    body: text,
    source: 'api',
    providerId: null,
    at: ctx.now,
  };
  const patch = summaryPatch(conversation, contact, summary, ctx.now);
  await ctx.tx.conversations.update(ctx.locationId, conversation.id, patch);
  await ctx.scheduleDelivery({ messageId: message.id }, ctx.now);
  return {
    conversationId: conversation.id,
    messageId: message.id,
    messageIds: [message.id],
    msg: 'Message queued successfully.',
    status: 'pending',
  };
}

export interface ReviewServiceDeps {
  store: Store;
  clock: Clock;
  jobs: JobRunner;
  deliverJob: JobKind<DeliverMessagePayload>;
  emailDomain: string;
}

export class ReviewService {
  constructor(private readonly deps: ReviewServiceDeps) {}

  /** Attaches (or replaces) a conversation's review and makes it a review conversation. */
  async attach(locationId: string, conversationId: string, input: ReviewInput): Promise<ReviewRow> {
    const { store, clock } = this.deps;
    return store.unit(
      async ({ db }) => {
        const conversation = await findConversation(db, locationId, conversationId);
        if (!conversation) throw notFound('Conversation');
        const now = clock.now();
        const existing = await findReview(db, conversation.id);
        const row: ReviewRow = {
          conversation_id: conversation.id,
          location_id: locationId,
          review_id: input.reviewId,
          rating: input.rating ?? null,
          comment: input.comment ?? null,
          reviewer_name: input.reviewerName ?? null,
          reply_message_id: null,
          date_added: existing?.date_added ?? now,
          date_updated: now,
        };
        await upsertReview(db, row);
        await updateConversation(db, locationId, conversation.id, {
          type: REVIEW_CONVERSATION_TYPE,
          date_updated: now,
        });
        return row;
      },
      {
        onUniqueViolation: () => {
          throw new DomainError('CONFLICT', `Review ${input.reviewId} belongs to another conversation`);
        },
      },
    );
  }

  async review(locationId: string, conversationId: string): Promise<ReviewRow | undefined> {
    const review = await findReview(this.deps.store.db, conversationId);
    return review?.location_id === locationId ? review : undefined;
  }

  async reply(locationId: string, input: ReviewReplyInput): Promise<SendResult> {
    const { store, clock, jobs, deliverJob, emailDomain } = this.deps;
    return store.unit((tx) =>
      replyToReview(
        {
          tx,
          db: tx.db,
          locationId,
          now: clock.now(),
          emailDomain,
          scheduleDelivery: async (payload, runAt) => {
            await jobs.enqueue(tx, deliverJob, payload, { locationId, subjectId: payload.messageId, runAt });
          },
        },
        input,
      ),
    );
  }
}
