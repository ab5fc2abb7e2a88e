// Operators' admin API for a location's rate limits (docs/behaviour.md#rate-limits): its own burst and daily limits, or
// none.
import type { FastifyRequest } from 'fastify';
import type { LocationRateLimit, RateLimitInput } from '../../domain/rate-limits.js';
import type { Services } from '../../services.js';
import type { Route } from '../route.js';

const admin = { kind: 'admin' } as const;
const locationParams = {
  type: 'object',
  properties: { locationId: { type: 'string', minLength: 1, maxLength: 64 } },
  required: ['locationId'],
};
type ByLocation = FastifyRequest<{ Params: { locationId: string } }>;

const present = (limits: LocationRateLimit) => ({ rateLimit: limits });

export function adminRateLimitRoutes({ rateLimits }: Services): Route[] {
  return [
    {
      method: 'GET',
      url: '/admin/v1/locations/:locationId/rate-limit',
      access: admin,
      schema: { params: locationParams },
      handler: async (request: ByLocation) => present(await rateLimits.get(request.params.locationId)),
    },
    {
      method: 'PUT',
      url: '/admin/v1/locations/:locationId/rate-limit',
      access: admin,
      schema: {
        params: locationParams,
        body: {
          type: 'object',
          properties: {
            enabled: { type: 'boolean' },
            burstMax: { type: 'integer', minimum: 1, maximum: 1_000_000 },
            intervalMs: { type: 'integer', minimum: 100, maximum: 3_600_000 },
            dailyMax: { type: 'integer', minimum: 1, maximum: 1_000_000_000 },
          },
          additionalProperties: false,
        },
      },
      handler: async (request: FastifyRequest<{ Params: { locationId: string }; Body: RateLimitInput }>) =>
        present(await rateLimits.set(request.params.locationId, request.body)),
    },
    {
      method: 'DELETE',
      url: '/admin/v1/locations/:locationId/rate-limit',
      access: admin,
      schema: { params: locationParams },
      handler: async (request: ByLocation) => present(await rateLimits.reset(request.params.locationId)),
    },
  ];
}
