// POST /conversations/providers/live-chat/typing: an agent or bot is typing in a live chat (ephemeral, 201).
import type { FastifyRequest } from 'fastify';
import { requestSchemas } from '../../http/openapi.js';
import { authOf } from '../../http/pipeline.js';
import type { Services } from '../../services.js';
import { type Route, schemaFrom } from '../route.js';

interface TypingBody {
  locationId: string;
  isTyping: boolean | 'true' | 'false';
  visitorId: string;
  conversationId: string;
}

const id = { type: 'string', minLength: 1, maxLength: 100 };

export function liveChatTypingRoutes({ liveChatTyping }: Services): Route[] {
  return [
    {
      method: 'POST',
      url: '/conversations/providers/live-chat/typing',
      access: { kind: 'location', scope: 'conversations/livechat.write', locationFrom: 'body' },
      schema: schemaFrom(requestSchemas('conversations', 'live-chat-agent-typing'), {
        // The spec types isTyping a string; clients send booleans too (docs/behaviour.md#lenient-inputs).
        body: {
          properties: {
            isTyping: { type: ['boolean', 'string'], enum: [true, false, 'true', 'false'] },
            visitorId: id,
            conversationId: id,
          },
        },
      }),
      handler: async (request: FastifyRequest<{ Body: TypingBody }>, reply) => {
        const { conversationId, visitorId, isTyping } = request.body;
        await liveChatTyping.agentTyping(authOf(request).locationId, {
          conversationId,
          visitorId,
          isTyping: isTyping === true || isTyping === 'true',
        });
        return reply.code(201).send({ success: true });
      },
    },
  ];
}
