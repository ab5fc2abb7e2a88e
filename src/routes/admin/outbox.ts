// Operators' view of the dev outbox: every message Switchboard would have sent for a location.
import type { FastifyRequest } from 'fastify';
import { presentOutboxRecord } from '../../presenters/outbox.js';
import type { Services } from '../../services.js';
import type { Route } from '../route.js';

export const OUTBOX_DEFAULT_LIMIT = 20;
export const OUTBOX_MAX_LIMIT = 100;

export function adminOutboxRoutes({ outbox }: Services): Route[] {
  return [
    {
      method: 'GET',
      url: '/admin/v1/locations/:locationId/outbox',
      access: { kind: 'admin' },
      schema: {
        params: {
          type: 'object',
          properties: { locationId: { type: 'string', minLength: 1, maxLength: 64 } },
          required: ['locationId'],
        },
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: OUTBOX_MAX_LIMIT, default: OUTBOX_DEFAULT_LIMIT },
            after: { type: 'string', minLength: 1, maxLength: 64 },
          },
          additionalProperties: false,
        },
      },
      handler: async (
        request: FastifyRequest<{ Params: { locationId: string }; Querystring: { limit: number; after?: string } }>,
      ) => {
        const { limit, after } = request.query;
        const page = await outbox.list(request.params.locationId, { limit, ...(after ? { after } : {}) });
        return { outbox: page.rows.map(presentOutboxRecord), nextAfter: page.nextAfter };
      },
    },
  ];
}
