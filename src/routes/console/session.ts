// The console's sign-in: POST exchanges a token for a session cookie, GET tells a reloaded page its session (and CSRF
// token), DELETE signs out. The cookie's use on the API is src/http/console-session.ts.
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import type { Route } from '../route.js';

const notSignedIn = () => new DomainError('ADMIN_TOKEN_INVALID', 'Not signed in');

export function consoleSessionRoutes({ consoleSessions }: Services): Route[] {
  return [
    {
      method: 'POST',
      url: '/console/v1/session',
      access: { kind: 'public' },
      schema: {
        body: {
          type: 'object',
          properties: { token: { type: 'string', minLength: 1, maxLength: 4096 } },
          required: ['token'],
          additionalProperties: false,
        },
      },
      handler: async (request: FastifyRequest<{ Body: { token: string } }>, reply) => {
        const session = await consoleSessions.signIn(reply, request.body.token.trim());
        return reply.code(201).header('cache-control', 'no-store').send({ session });
      },
    },
    {
      method: 'GET',
      url: '/console/v1/session',
      access: { kind: 'public' },
      handler: async (request, reply) => {
        const session = await consoleSessions.current(request);
        if (!session) throw notSignedIn();
        return reply.header('cache-control', 'no-store').send({ session });
      },
    },
    {
      method: 'DELETE',
      url: '/console/v1/session',
      access: { kind: 'public' },
      handler: async (request, reply) => {
        await consoleSessions.signOut(request, reply);
        return { success: true };
      },
    },
  ];
}
