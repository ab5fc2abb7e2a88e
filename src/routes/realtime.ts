// GET /conversations/events/stream (Switchboard extension): a location's domain events as server-sent events,
// resumable with Last-Event-ID. The token may come as a query parameter, for EventSource.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestSchemas } from '../http/openapi.js';
import { authOf } from '../http/pipeline.js';
import { locationView } from '../realtime/views.js';
import type { Services } from '../services.js';
import { preflightRoute } from './preflight.js';
import { type Route, schemaFrom } from './route.js';

export interface StreamQuery {
  lastEventId?: number;
  follow?: boolean;
}

/** Where the client left off: the Last-Event-ID header a reconnecting EventSource sends, else the query's. */
export function lastEventIdOf(request: FastifyRequest<{ Querystring: StreamQuery }>): number | null {
  const header = request.headers['last-event-id'];
  if (typeof header === 'string' && /^\d{1,15}$/.test(header.trim())) return Number(header.trim());
  return request.query.lastEventId ?? null;
}

/** The headers the pipeline set (trace id, CORS), for a response the stream writes itself. */
export function streamHeaders(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders()))
    if (value !== undefined) headers[name] = String(value);
  return headers;
}

export function realtimeRoutes({ realtime }: Services): Route[] {
  return [
    {
      method: 'GET',
      url: '/conversations/events/stream',
      access: { kind: 'location', scope: 'conversations.readonly', locationFrom: 'query', queryCredentials: true },
      schema: schemaFrom(requestSchemas('extensions', 'stream-conversation-events')),
      handler: async (request: FastifyRequest<{ Querystring: StreamQuery }>, reply) => {
        await realtime.stream(reply, {
          locationId: authOf(request).locationId,
          lastEventId: lastEventIdOf(request),
          follow: request.query.follow !== false,
          view: locationView,
          headers: streamHeaders(reply),
        });
      },
    },
    preflightRoute('/conversations/events/stream', 'GET'),
  ];
}
