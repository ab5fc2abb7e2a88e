// Sandbox controls: emptying a location, deleting it, and resetting the whole instance (docs/sandbox.md).
import type { FastifyRequest } from 'fastify';
import type { Services } from '../../../services.js';
import type { Route } from '../../route.js';
import { admin, type ByLocation, locationParams } from './shared.js';

export function sandboxResetRoutes({ sandbox }: Services): Route[] {
  return [
    {
      method: 'POST',
      url: '/admin/v1/locations/:locationId/reset',
      access: admin,
      schema: { params: locationParams },
      handler: async (request: ByLocation) => sandbox.reset.resetLocation(request.params.locationId),
    },
    {
      method: 'DELETE',
      url: '/admin/v1/locations/:locationId',
      access: admin,
      schema: { params: locationParams },
      handler: async (request: ByLocation) => sandbox.reset.deleteLocation(request.params.locationId),
    },
    {
      method: 'POST',
      url: '/admin/v1/reset',
      access: admin,
      schema: {
        body: {
          type: ['object', 'null'],
          properties: { keepApps: { type: 'boolean' } },
          additionalProperties: false,
        },
      },
      handler: async (request: FastifyRequest<{ Body: { keepApps?: boolean } | null | undefined }>) =>
        sandbox.reset.resetAll({ keepApps: request.body?.keepApps === true }),
    },
  ];
}
