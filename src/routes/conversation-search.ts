// GET /conversations/search with every filter of the spec, keyset-paged through startAfterDate.
import type { FastifyRequest } from 'fastify';
import type { SearchParams } from '../domain/conversation-search.js';
import { requestSchemas } from '../http/openapi.js';
import { authOf } from '../http/pipeline.js';
import { presentSearchItem } from '../presenters/conversations.js';
import type { Services } from '../services.js';
import { type Route, schemaFrom } from './route.js';

export function conversationSearchRoutes({ conversations, config }: Services): Route[] {
  const spec = requestSchemas('conversations', 'search-conversation');
  return [
    {
      method: 'GET',
      url: '/conversations/search',
      access: { kind: 'location', scope: 'conversations.readonly', locationFrom: 'query' },
      schema: schemaFrom(spec, {
        querystring: {
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: config.searchMaxLimit },
            startDate: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
            endDate: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
          },
        },
      }),
      handler: async (request: FastifyRequest<{ Querystring: SearchParams & Record<string, unknown> }>) => {
        authOf(request);
        const query = request.query;
        // axios (and so the official SDK) sends arrays as `startAfterDate[]=…`.
        const startAfterDate = query.startAfterDate ?? query['startAfterDate[]'];
        const result = await conversations.search({ ...query, startAfterDate });
        return {
          conversations: result.rows.map((row) =>
            presentSearchItem(
              row,
              result.contacts.get(row.contact_id),
              result.followers.get(row.id) ?? [],
              result.mentions.get(row.id) ?? [],
            ),
          ),
          total: result.total,
        };
      },
    },
  ];
}
