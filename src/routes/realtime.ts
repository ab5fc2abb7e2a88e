// GET /conversations/events/stream (Switchboard extension): a location's domain events as server-sent events,
// resumable with Last-Event-ID. The token may come as a query parameter, for EventSource.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isCompanyContext } from '../domain/credentials.js';
import { requestSchemas } from '../http/openapi.js';
import { authOf, bearer } from '../http/pipeline.js';
import { locationView, locationViewWithoutMessages } from '../realtime/views.js';
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

const STREAM_SCOPE = 'conversations.readonly';
/** Message and email bodies on the stream need the scope the REST API asks to read them (docs/security.md). */
const MESSAGE_SCOPE = 'conversations/message.readonly';

export function realtimeRoutes({ realtime, auth, consoleSessions }: Services): Route[] {
  return [
    {
      method: 'GET',
      url: '/conversations/events/stream',
      access: { kind: 'location', scope: STREAM_SCOPE, locationFrom: 'query', queryCredentials: true },
      schema: schemaFrom(requestSchemas('extensions', 'stream-conversation-events')),
      handler: async (request: FastifyRequest<{ Querystring: StreamQuery }>, reply) => {
        const caller = authOf(request);
        const token = bearer(request, true);
        // What the stream's credentials prove now: its token's, or (no token) the signed-in console session's.
        const current = async () => {
          if (token) return auth.authenticate(token);
          const session = await consoleSessions.credential(request, true).catch(() => null);
          return session?.kind === 'location' ? session.context : null;
        };
        await realtime.stream(reply, {
          locationId: caller.locationId,
          lastEventId: lastEventIdOf(request),
          follow: request.query.follow !== false,
          view: caller.scopes.has(MESSAGE_SCOPE) ? locationView : locationViewWithoutMessages,
          headers: streamHeaders(reply),
          // The token (or console session) is checked again while the stream is open: revoked, its app uninstalled,
          // its location deleted or the session ended, the stream ends (a narrowed scope too).
          revoked: async () => {
            const now = await current();
            if (!now || isCompanyContext(now) || now.locationId !== caller.locationId) return 'credentials-revoked';
            if (!now.scopes.has(STREAM_SCOPE)) return 'scope-removed';
            return null;
          },
        });
      },
    },
    preflightRoute('/conversations/events/stream', 'GET'),
  ];
}
