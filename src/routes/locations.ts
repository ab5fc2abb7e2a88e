// GET /locations/{locationId}: the location record from HighLevel's locations spec, for the token's own location.
import type { FastifyRequest } from 'fastify';
import { requestSchemas } from '../http/openapi.js';
import { authOf } from '../http/pipeline.js';
import { presentLocation } from '../presenters/locations.js';
import type { Services } from '../services.js';
import { type Route, schemaFrom } from './route.js';

export function locationRoutes({ locations }: Services): Route[] {
  return [
    {
      method: 'GET',
      url: '/locations/:locationId',
      access: { kind: 'location', scope: 'locations.readonly', locationFrom: 'params' },
      schema: schemaFrom(requestSchemas('locations', 'get-location')),
      handler: async (request: FastifyRequest<{ Params: { locationId: string } }>) => {
        return { location: presentLocation(await locations.getLocation(authOf(request).locationId)) };
      },
    },
  ];
}
