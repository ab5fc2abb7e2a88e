// Full-text message search (a Switchboard extension, docs/message-search.md). /conversations/messages/search is a
// literal route, so it wins over /conversations/messages/:id.
import type { FastifyRequest } from 'fastify';
import type { MessageSearchParams } from '../../domain/messages/search.js';
import { requestSchemas } from '../../http/openapi.js';
import { authOf } from '../../http/pipeline.js';
import { presentMessage } from '../../presenters/messages.js';
import type { Services } from '../../services.js';
import { type Route, schemaFrom } from '../route.js';

export function messageSearchRoutes({ messageSearch }: Services): Route[] {
  return [
    {
      method: 'GET',
      url: '/conversations/messages/search',
      access: { kind: 'location', scope: 'conversations/message.readonly', locationFrom: 'query' },
      schema: schemaFrom(requestSchemas('extensions', 'search-messages')),
      handler: async (request: FastifyRequest<{ Querystring: MessageSearchParams }>) => {
        const page = await messageSearch.search(authOf(request).locationId, request.query);
        const messages = page.rows.map((row) => ({
          ...presentMessage(row, page.emailIds.get(row.id)),
          highlight: page.highlights.get(row.id) ?? '',
        }));
        return { messages, nextCursor: page.nextCursor, total: page.total };
      },
    },
  ];
}
