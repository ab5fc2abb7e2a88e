// CORS preflights for the routes web pages call from any origin (the widget, EventSource clients): they
// authenticate by bearer token, never by cookie, so any origin may ask.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { allowCors } from '../http/pipeline.js';
import type { Route, RouteUrl } from './route.js';

export function preflightRoute(url: RouteUrl<'OPTIONS'>, methods: string): Route {
  return {
    method: 'OPTIONS',
    url,
    access: { kind: 'public', cors: true },
    handler: async (_request: FastifyRequest, reply: FastifyReply) => {
      allowCors(reply);
      reply.header('access-control-allow-methods', methods);
      reply.header('access-control-allow-headers', 'authorization, content-type, version, last-event-id');
      reply.header('access-control-max-age', '600');
      return reply.code(204).send();
    },
  };
}
