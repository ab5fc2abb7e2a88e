// Sandbox faults: make the next matching API calls, deliveries or webhooks fail or wait (docs/sandbox.md).
import type { FastifyRequest } from 'fastify';
import { parseFault } from '../../../domain/sandbox/faults.js';
import type { Services } from '../../../services.js';
import type { Route } from '../../route.js';
import { admin } from './shared.js';

export function sandboxFaultRoutes({ sandbox, clock }: Services): Route[] {
  const { faults } = sandbox;
  return [
    {
      method: 'POST',
      url: '/admin/v1/faults',
      access: admin,
      // Checked field by field by parseFault, whose messages name the field and what it must be.
      schema: { body: { type: 'object' } },
      handler: async (request: FastifyRequest<{ Body: unknown }>, reply) =>
        reply.code(201).send({ fault: faults.add(parseFault(request.body, clock.now())) }),
    },
    {
      method: 'GET',
      url: '/admin/v1/faults',
      access: admin,
      handler: async () => ({ faults: faults.list() }),
    },
    {
      method: 'DELETE',
      url: '/admin/v1/faults/:faultId',
      access: admin,
      schema: {
        params: {
          type: 'object',
          properties: { faultId: { type: 'string', minLength: 1, maxLength: 64 } },
          required: ['faultId'],
        },
      },
      handler: async (request: FastifyRequest<{ Params: { faultId: string } }>) => {
        faults.remove(request.params.faultId);
        return { success: true };
      },
    },
    {
      method: 'DELETE',
      url: '/admin/v1/faults',
      access: admin,
      handler: async () => ({ success: true, removed: faults.clear() }),
    },
  ];
}
