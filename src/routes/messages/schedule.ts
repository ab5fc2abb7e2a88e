// Cancelling a scheduled message before it goes out.
import type { FastifyRequest } from 'fastify';
import { requestSchemas } from '../../http/openapi.js';
import { authOf } from '../../http/pipeline.js';
import type { Services } from '../../services.js';
import { type Route, schemaFrom } from '../route.js';

export function scheduleRoutes({ schedules }: Services): Route[] {
  return [
    {
      method: 'DELETE',
      url: '/conversations/messages/:messageId/schedule',
      access: { kind: 'location', scope: 'conversations/message.write' },
      schema: schemaFrom(requestSchemas('conversations', 'cancel-scheduled-message')),
      handler: async (request: FastifyRequest<{ Params: { messageId: string } }>) =>
        schedules.cancelScheduledMessage(authOf(request).locationId, request.params.messageId),
    },
  ];
}
