// Answering a review conversation's review (send-review-reply).
import type { FastifyRequest } from 'fastify';
import type { ReviewReplyInput } from '../../domain/messages/review-reply.js';
import { requestSchemas } from '../../http/openapi.js';
import { authOf } from '../../http/pipeline.js';
import type { Services } from '../../services.js';
import { type Route, schemaFrom } from '../route.js';

export function reviewReplyRoutes({ reviews }: Services): Route[] {
  return [
    {
      method: 'POST',
      url: '/conversations/messages/review-reply',
      access: { kind: 'location', scope: 'conversations/message.write', locationFrom: 'body' },
      schema: schemaFrom(requestSchemas('conversations', 'send-review-reply'), {
        body: {
          properties: {
            conversationId: { type: 'string', minLength: 1, maxLength: 64 },
            locationId: { type: 'string', minLength: 1, maxLength: 64 },
            // Google's limit on a review reply.
            message: { type: 'string', minLength: 1, maxLength: 4096 },
          },
        },
      }),
      handler: async (request: FastifyRequest<{ Body: ReviewReplyInput }>) =>
        reviews.reply(authOf(request).locationId, request.body),
    },
  ];
}
