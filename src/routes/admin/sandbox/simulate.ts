// Simulated carriers and contacts: report on an outbound message as a carrier would, or have a contact write in.
import type { FastifyRequest } from 'fastify';
import { PROCESS_TYPES } from '../../../domain/message-types.js';
import type { CarrierReport, SimulatedInbound } from '../../../domain/sandbox/simulate.js';
import type { Services } from '../../../services.js';
import type { Route } from '../../route.js';
import { admin, locationParams } from './shared.js';

const CALLS = new Set(['Call', 'IVR_Call']);

export function sandboxSimulateRoutes({ sandbox }: Services): Route[] {
  return [
    {
      method: 'POST',
      url: '/admin/v1/locations/:locationId/messages/:messageId/carrier',
      access: admin,
      schema: {
        params: {
          type: 'object',
          properties: {
            locationId: { type: 'string', minLength: 1, maxLength: 64 },
            messageId: { type: 'string', minLength: 1, maxLength: 64 },
          },
          required: ['locationId', 'messageId'],
        },
        body: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: ['delivered', 'read', 'failed', 'undelivered'] },
            error: {
              type: 'object',
              properties: {
                code: { type: 'string', minLength: 1, maxLength: 256 },
                message: { type: 'string', minLength: 1, maxLength: 4096 },
              },
              required: ['code', 'message'],
              additionalProperties: false,
            },
          },
          required: ['status'],
          additionalProperties: false,
        },
      },
      handler: async (
        request: FastifyRequest<{ Params: { locationId: string; messageId: string }; Body: CarrierReport }>,
      ) => {
        const { locationId, messageId } = request.params;
        return { success: true, ...(await sandbox.simulate.carrierReport(locationId, messageId, request.body)) };
      },
    },
    {
      method: 'POST',
      url: '/admin/v1/locations/:locationId/simulate/inbound',
      access: admin,
      schema: {
        params: locationParams,
        body: {
          type: 'object',
          properties: {
            from: { type: 'string', minLength: 3, maxLength: 320 },
            type: { type: 'string', enum: Object.keys(PROCESS_TYPES).filter((type) => !CALLS.has(type)) },
            message: { type: 'string', minLength: 1, maxLength: 64 * 1024 },
            subject: { type: 'string', maxLength: 998 },
            attachments: {
              type: 'array',
              maxItems: 10,
              items: { type: 'string', minLength: 1, maxLength: 2048, pattern: '^https?://' },
            },
          },
          required: ['from', 'type', 'message'],
          additionalProperties: false,
        },
      },
      handler: async (request: FastifyRequest<{ Params: { locationId: string }; Body: SimulatedInbound }>, reply) =>
        reply.code(201).send(await sandbox.simulate.inbound(request.params.locationId, request.body)),
    },
  ];
}
