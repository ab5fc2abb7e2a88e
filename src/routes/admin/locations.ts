// Operators' admin API: locations and their private integration tokens.
import type { FastifyRequest } from 'fastify';
import { SCOPES } from '../../domain/scopes.js';
import { presentLocation, presentToken } from '../../presenters/admin.js';
import type { Services } from '../../services.js';
import type { Route } from '../route.js';

type ByLocation = FastifyRequest<{ Params: { locationId: string } }>;
const admin = { kind: 'admin' } as const;
const locationParams = {
  type: 'object',
  properties: { locationId: { type: 'string', minLength: 1, maxLength: 64 } },
  required: ['locationId'],
};

export function adminLocationRoutes({ locations }: Services): Route[] {
  return [
    {
      method: 'POST',
      url: '/admin/v1/locations',
      access: admin,
      schema: {
        body: {
          type: 'object',
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
            companyId: { type: 'string', maxLength: 64 },
          },
          required: ['name'],
          additionalProperties: false,
        },
      },
      handler: async (request: FastifyRequest<{ Body: { name: string; id?: string; companyId?: string } }>, reply) => {
        const row = await locations.createLocation(request.body);
        return reply.code(201).send({ location: presentLocation(row) });
      },
    },
    {
      method: 'GET',
      url: '/admin/v1/locations',
      access: admin,
      schema: {
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
            after: { type: 'string', minLength: 1, maxLength: 64 },
          },
          additionalProperties: false,
        },
      },
      handler: async (request: FastifyRequest<{ Querystring: { limit: number; after?: string } }>) => {
        const page = await locations.pageLocations(request.query);
        return { locations: page.rows.map(presentLocation), nextAfter: page.nextAfter };
      },
    },
    {
      method: 'GET',
      url: '/admin/v1/locations/:locationId',
      access: admin,
      schema: { params: locationParams },
      handler: async (request: ByLocation) => ({
        location: presentLocation(await locations.getLocation(request.params.locationId)),
      }),
    },
    {
      method: 'PATCH',
      url: '/admin/v1/locations/:locationId',
      access: admin,
      schema: {
        params: locationParams,
        body: {
          type: 'object',
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            companyId: { type: ['string', 'null'], maxLength: 64 },
          },
          additionalProperties: false,
        },
      },
      handler: async (
        request: FastifyRequest<{ Params: { locationId: string }; Body: { name?: string; companyId?: string | null } }>,
      ) => ({ location: presentLocation(await locations.updateLocation(request.params.locationId, request.body)) }),
    },
    {
      method: 'POST',
      url: '/admin/v1/locations/:locationId/tokens',
      access: admin,
      schema: {
        params: locationParams,
        body: {
          type: 'object',
          properties: {
            scopes: { type: 'array', items: { type: 'string', enum: [...SCOPES] }, minItems: 1, maxItems: 50 },
            name: { type: 'string', maxLength: 200 },
            // The app the token acts for (its providers' reports and inbound messages).
            appId: { type: 'string', pattern: '^[0-9a-f]{24}$' },
          },
          // A misspelt `scope` must not silently fall back to every scope.
          additionalProperties: false,
        },
      },
      handler: async (
        request: FastifyRequest<{
          Params: { locationId: string };
          Body: { scopes?: string[]; name?: string; appId?: string };
        }>,
        reply,
      ) => {
        const issued = await locations.issueToken(request.params.locationId, request.body);
        return reply.code(201).send({ ...presentToken(issued.row), token: issued.token });
      },
    },
    {
      method: 'GET',
      url: '/admin/v1/locations/:locationId/tokens',
      access: admin,
      schema: { params: locationParams },
      handler: async (request: ByLocation) => ({
        tokens: (await locations.listTokens(request.params.locationId)).map(presentToken),
      }),
    },
    {
      method: 'DELETE',
      url: '/admin/v1/locations/:locationId/tokens/:tokenId',
      access: admin,
      handler: async (request: FastifyRequest<{ Params: { locationId: string; tokenId: string } }>) => {
        await locations.revokeToken(request.params.locationId, request.params.tokenId);
        return { success: true };
      },
    },
  ];
}
