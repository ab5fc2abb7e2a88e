// The journal of a location's public API calls, newest first (docs/sandbox.md#a-journal-of-every-call).
import type { FastifyRequest } from 'fastify';
import type { JournalQuery } from '../../../domain/sandbox/journal.js';
import { presentJournalEntry } from '../../../presenters/journal.js';
import type { Services } from '../../../services.js';
import type { Route } from '../../route.js';
import { admin, locationParams } from './shared.js';

export function sandboxJournalRoutes({ sandbox }: Services): Route[] {
  return [
    {
      method: 'GET',
      url: '/admin/v1/locations/:locationId/requests',
      access: admin,
      schema: {
        params: locationParams,
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            after: { type: 'string', minLength: 1, maxLength: 64 },
            method: {
              type: 'string',
              enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'get', 'post', 'put', 'patch', 'delete'],
            },
            route: { type: 'string', minLength: 1, maxLength: 300 },
            status: { type: 'string', minLength: 3, maxLength: 3 },
          },
          additionalProperties: false,
        },
      },
      handler: async (request: FastifyRequest<{ Params: { locationId: string }; Querystring: JournalQuery }>) => {
        const page = await sandbox.journal.list(request.params.locationId, request.query);
        return { requests: page.rows.map(presentJournalEntry), nextAfter: page.nextAfter };
      },
    },
  ];
}
