// What the sandbox's admin routes share: their access rule and the location path parameter.
import type { FastifyRequest } from 'fastify';

export const admin = { kind: 'admin' } as const;

export const locationParams = {
  type: 'object',
  properties: { locationId: { type: 'string', minLength: 1, maxLength: 64 } },
  required: ['locationId'],
};

export type ByLocation = FastifyRequest<{ Params: { locationId: string } }>;
