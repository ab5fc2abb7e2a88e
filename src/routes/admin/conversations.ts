// Operators' admin API for what the public API cannot set: assignment, followers, mentions, scores, due dates.
import type { FastifyRequest } from 'fastify';
import type { ConversationAdminUpdate } from '../../domain/conversations.js';
import { presentConversation } from '../../presenters/conversations.js';
import type { Services } from '../../services.js';
import type { Route } from '../route.js';

const userIds = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 64 }, maxItems: 100 };

export function adminConversationRoutes({ conversations }: Services): Route[] {
  return [
    {
      method: 'PATCH',
      url: '/admin/v1/locations/:locationId/conversations/:conversationId',
      access: { kind: 'admin' },
      schema: {
        body: {
          type: 'object',
          properties: {
            assignedTo: { type: ['string', 'null'], maxLength: 64 },
            followers: userIds,
            mentions: userIds,
            scores: { type: 'object', additionalProperties: { type: 'number' }, maxProperties: 50 },
            dueAt: { type: ['integer', 'null'], minimum: 0 },
          },
          additionalProperties: false,
        },
      },
      handler: async (
        request: FastifyRequest<{
          Params: { locationId: string; conversationId: string };
          Body: ConversationAdminUpdate;
        }>,
      ) => {
        const { locationId, conversationId } = request.params;
        await conversations.adminUpdate(locationId, conversationId, request.body);
        const { conversation, contact } = await conversations.getWithContact(locationId, conversationId);
        return { conversation: presentConversation(conversation, contact) };
      },
    },
  ];
}
