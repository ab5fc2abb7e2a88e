// The sandbox clock: read it, and (CLOCK=virtual) move it forward, running whatever falls due on the way.
import type { FastifyRequest } from 'fastify';
import type { ClockMove } from '../../../domain/sandbox/clock-control.js';
import type { Services } from '../../../services.js';
import type { Route } from '../../route.js';
import { admin } from './shared.js';

export function sandboxClockRoutes({ sandbox }: Services): Route[] {
  return [
    {
      method: 'GET',
      url: '/admin/v1/clock',
      access: admin,
      handler: async () => sandbox.clock.status(),
    },
    {
      method: 'POST',
      url: '/admin/v1/clock',
      access: admin,
      schema: {
        body: {
          type: 'object',
          properties: {
            advanceMs: { type: 'integer', minimum: 0, maximum: 10 * 365 * 86_400_000 },
            at: { type: 'string', minLength: 1, maxLength: 64 },
          },
          additionalProperties: false,
        },
      },
      handler: async (request: FastifyRequest<{ Body: ClockMove }>) => sandbox.clock.move(request.body),
    },
  ];
}
