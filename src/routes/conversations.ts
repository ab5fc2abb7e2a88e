// Conversation operations: create, get, update, delete (search lives in conversation-search.ts).
import type { FastifyRequest } from 'fastify';
import type { ConversationUpdate } from '../domain/conversations.js';
import { requestSchemas } from '../http/openapi.js';
import { authOf } from '../http/pipeline.js';
import {
  presentConversation,
  presentConversationDto,
  presentCreatedConversation,
} from '../presenters/conversations.js';
import type { Services } from '../services.js';
import { type Route, schemaFrom } from './route.js';

type ById = FastifyRequest<{ Params: { conversationId: string } }>;

export function conversationRoutes({ conversations }: Services): Route[] {
  return [
    {
      method: 'POST',
      url: '/conversations/',
      access: { kind: 'location', scope: 'conversations.write', locationFrom: 'body' },
      schema: schemaFrom(requestSchemas('conversations', 'create-conversation')),
      handler: async (request: FastifyRequest<{ Body: { locationId: string; contactId: string } }>, reply) => {
        const auth = authOf(request);
        const row = await conversations.create(auth.locationId, request.body.contactId);
        return reply.code(201).send({ success: true, conversation: presentCreatedConversation(row) });
      },
    },
    {
      method: 'GET',
      url: '/conversations/:conversationId',
      access: { kind: 'location', scope: 'conversations.readonly' },
      schema: schemaFrom(requestSchemas('conversations', 'get-conversation')),
      handler: async (request: ById) => {
        const { conversation, contact } = await conversations.getWithContact(
          authOf(request).locationId,
          request.params.conversationId,
        );
        return presentConversation(conversation, contact);
      },
    },
    {
      method: 'PUT',
      url: '/conversations/:conversationId',
      access: { kind: 'location', scope: 'conversations.write', locationFrom: 'body' },
      schema: schemaFrom(requestSchemas('conversations', 'update-conversation'), {
        body: { properties: { unreadCount: { type: 'integer', minimum: 0, maximum: 1_000_000 } } },
      }),
      handler: async (request: FastifyRequest<{ Params: { conversationId: string }; Body: ConversationUpdate }>) => {
        const { unreadCount, starred, feedback } = request.body;
        const row = await conversations.update(authOf(request).locationId, request.params.conversationId, {
          unreadCount,
          starred,
          feedback,
        });
        return { success: true, conversation: presentConversationDto(row) };
      },
    },
    {
      method: 'DELETE',
      url: '/conversations/:conversationId',
      access: { kind: 'location', scope: 'conversations.write' },
      schema: schemaFrom(requestSchemas('conversations', 'delete-conversation')),
      handler: async (request: ById) => {
        await conversations.delete(authOf(request).locationId, request.params.conversationId);
        return { success: true };
      },
    },
  ];
}
