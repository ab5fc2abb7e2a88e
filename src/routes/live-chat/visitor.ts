// The live chat visitor API (Switchboard extension), called by the widget from any site: public widget data,
// sessions, messages, typing, feedback and the visitor's own event stream. Visitors are untrusted: bodies are
// bounded by schema, writes are rate limited per session and per address, and CORS is open (tokens, no cookies).
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import type { VisitorIdentity } from '../../domain/live-chat/visitors.js';
import { requestSchemas } from '../../http/openapi.js';
import { queryParameter } from '../../http/pipeline.js';
import { TokenBuckets } from '../../http/token-bucket.js';
import { presentPublicWidget, presentVisitorMessage, presentVisitorSession } from '../../presenters/live-chat.js';
import { presentMessage } from '../../presenters/messages.js';
import { visitorView } from '../../realtime/visitor-view.js';
import type { Services } from '../../services.js';
import { preflightRoute } from '../preflight.js';
import { lastEventIdOf, type StreamQuery, streamHeaders } from '../realtime.js';
import { type Route, schemaFrom } from '../route.js';

const visitor = { kind: 'public', cors: true } as const;
const schema = (operationId: string) => schemaFrom(requestSchemas('extensions', operationId));
/** Streams one session may hold open at once (tabs of one browser share a session). */
const MAX_STREAMS_PER_SESSION = 5;

function sessionToken(request: FastifyRequest, fromQuery = false): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ?? (fromQuery ? queryParameter(request, 'access_token') : null);
}

export function visitorRoutes({ visitors, widgets, realtime, config }: Services): Route[] {
  const { messagesPerMinute, sessionsPerMinute } = config.liveChat;
  const sessionsByAddress = new TokenBuckets(sessionsPerMinute, sessionsPerMinute);
  const messagesBySession = new TokenBuckets(messagesPerMinute, messagesPerMinute);
  const typingBySession = new TokenBuckets(messagesPerMinute * 5, messagesPerMinute * 5);
  const streamsBySession = new Map<string, number>();
  const authenticate = (request: FastifyRequest, fromQuery = false) =>
    visitors.authenticate(sessionToken(request, fromQuery));

  return [
    {
      method: 'GET',
      url: '/widget/v1/widgets/:widgetId',
      access: visitor,
      schema: schema('get-live-chat-widget'),
      handler: async (request: FastifyRequest<{ Params: { widgetId: string } }>) => ({
        widget: presentPublicWidget(await widgets.find(request.params.widgetId)),
      }),
    },
    {
      method: 'POST',
      url: '/widget/v1/widgets/:widgetId/sessions',
      access: visitor,
      schema: schema('start-live-chat-session'),
      handler: async (
        request: FastifyRequest<{ Params: { widgetId: string }; Body: VisitorIdentity | undefined }>,
        reply,
      ) => {
        sessionsByAddress.consume(request.ip, reply);
        const started = await visitors.start(request.params.widgetId, request.body ?? {});
        return reply.code(201).send({
          session: presentVisitorSession(started.session),
          widget: presentPublicWidget(started.widget),
          token: started.token,
        });
      },
    },
    {
      method: 'GET',
      url: '/widget/v1/session',
      access: visitor,
      handler: async (request) => {
        const current = await authenticate(request);
        return {
          session: presentVisitorSession(current.session),
          widget: presentPublicWidget(current.widget),
          messages: (await visitors.history(current)).map((row) => presentVisitorMessage(presentMessage(row))),
        };
      },
    },
    {
      method: 'POST',
      url: '/widget/v1/session/messages',
      access: visitor,
      schema: schema('send-live-chat-visitor-message'),
      handler: async (request: FastifyRequest<{ Body: { message: string } }>, reply) => {
        const current = await authenticate(request);
        messagesBySession.consume(current.session.id, reply);
        const row = await visitors.send(current, request.body.message);
        return reply.code(201).send({ message: presentVisitorMessage(presentMessage(row)) });
      },
    },
    {
      method: 'POST',
      url: '/widget/v1/session/typing',
      access: visitor,
      schema: schema('live-chat-visitor-typing'),
      handler: async (request: FastifyRequest<{ Body: { isTyping: boolean } }>, reply) => {
        const current = await authenticate(request);
        typingBySession.consume(current.session.id, reply);
        visitors.typing(current, request.body.isTyping);
        return reply.code(201).send({ success: true });
      },
    },
    {
      method: 'POST',
      url: '/widget/v1/session/feedback',
      access: visitor,
      schema: schema('live-chat-visitor-feedback'),
      handler: async (request: FastifyRequest<{ Body: { feedback: 'positive' | 'negative' } }>, reply) => {
        const current = await authenticate(request);
        messagesBySession.consume(current.session.id, reply);
        await visitors.feedback(current, request.body.feedback);
        return reply.code(201).send({ success: true });
      },
    },
    {
      method: 'GET',
      url: '/widget/v1/session/stream',
      access: visitor,
      schema: schema('stream-live-chat-session'),
      handler: async (request: FastifyRequest<{ Querystring: StreamQuery }>, reply) => {
        const { session } = await authenticate(request, true);
        const open = streamsBySession.get(session.id) ?? 0;
        if (open >= MAX_STREAMS_PER_SESSION) {
          throw new DomainError('RATE_LIMITED', `At most ${MAX_STREAMS_PER_SESSION} streams per session`);
        }
        streamsBySession.set(session.id, open + 1);
        reply.raw.once('close', () => {
          const left = (streamsBySession.get(session.id) ?? 1) - 1;
          if (left > 0) streamsBySession.set(session.id, left);
          else streamsBySession.delete(session.id);
        });
        await realtime.stream(reply, {
          locationId: session.location_id,
          lastEventId: lastEventIdOf(request),
          startAt: session.start_seq,
          follow: request.query.follow !== false,
          view: visitorView(session),
          headers: streamHeaders(reply),
        });
      },
    },
    preflightRoute('/widget/v1/*', 'GET, POST'),
  ];
}
