// Operators' admin API for what the public API cannot set: assignment, followers, mentions, scores, due dates,
// and the review a review conversation answers.
import type { FastifyRequest } from 'fastify';
import type { ConversationAdminUpdate } from '../../domain/conversations.js';
import type { ReviewInput } from '../../domain/messages/review-reply.js';
import { presentConversation } from '../../presenters/conversations.js';
import { presentReview } from '../../presenters/reviews.js';
import type { Services } from '../../services.js';
import type { Route } from '../route.js';

const userIds = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 64 }, maxItems: 100 };

export function adminConversationRoutes({ conversations, reviews }: Services): Route[] {
  return [
    {
      method: 'PATCH',
      url: '/admin/v1/locations/:locationId/conversations/:conversationId',
      access: { kind: 'admin' },
      schema: {
        body: {
          type: 'object',
          properties: {
            assignedTo: { type: ['string', 'null'], minLength: 1, maxLength: 64 },
            followers: userIds,
            mentions: userIds,
            scores: { type: 'object', additionalProperties: { type: 'number' }, maxProperties: 50 },
            dueAt: { type: ['integer', 'null'], minimum: 0 },
            // Switchboard's extension: the customer review the conversation answers (makes it TYPE_REVIEW).
            review: {
              type: 'object',
              required: ['reviewId'],
              properties: {
                reviewId: { type: 'string', minLength: 1, maxLength: 128 },
                rating: { type: 'integer', minimum: 1, maximum: 5 },
                comment: { type: 'string', maxLength: 10_000 },
                reviewerName: { type: 'string', maxLength: 256 },
              },
              additionalProperties: false,
            },
          },
          additionalProperties: false,
        },
      },
      handler: async (
        request: FastifyRequest<{
          Params: { locationId: string; conversationId: string };
          Body: ConversationAdminUpdate & { review?: ReviewInput };
        }>,
      ) => {
        const { locationId, conversationId } = request.params;
        const { review, ...update } = request.body;
        if (review) await reviews.attach(locationId, conversationId, review);
        await conversations.adminUpdate(locationId, conversationId, update);
        const { conversation, contact } = await conversations.getWithContact(locationId, conversationId);
        const attached = await reviews.review(locationId, conversationId);
        return {
          conversation: presentConversation(conversation, contact),
          ...(attached ? { review: presentReview(attached) } : {}),
        };
      },
    },
  ];
}
