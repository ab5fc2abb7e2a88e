// Operators' admin API for webhooks: the public key that verifies X-GHL-Signature, each app's delivery log with
// every attempt, and redelivery.
import type { FastifyRequest } from 'fastify';
import { presentDelivery, presentDeliveryDetail } from '../../presenters/apps.js';
import type { Services } from '../../services.js';
import type { Route } from '../route.js';

const admin = { kind: 'admin' } as const;
const id = { type: 'string', minLength: 1, maxLength: 64 };
const deliveryParams = { type: 'object', properties: { appId: id, deliveryId: id }, required: ['appId', 'deliveryId'] };

type ByDelivery = FastifyRequest<{ Params: { appId: string; deliveryId: string } }>;

export function adminWebhookRoutes({ webhooks }: Services): Route[] {
  return [
    {
      method: 'GET',
      url: '/admin/v1/webhooks/public-key',
      access: admin,
      handler: async () => webhooks.publicKey(),
    },
    {
      method: 'GET',
      url: '/admin/v1/apps/:appId/webhook-deliveries',
      access: admin,
      schema: {
        params: { type: 'object', properties: { appId: id }, required: ['appId'] },
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            status: { type: 'string', enum: ['pending', 'delivered', 'dead'] },
            after: id,
          },
          additionalProperties: false,
        },
      },
      handler: async (
        request: FastifyRequest<{
          Params: { appId: string };
          Querystring: { limit: number; status?: string; after?: string };
        }>,
      ) => {
        const page = await webhooks.list(request.params.appId, request.query);
        return { deliveries: page.rows.map(presentDelivery), nextAfter: page.nextAfter };
      },
    },
    {
      method: 'GET',
      url: '/admin/v1/apps/:appId/webhook-deliveries/:deliveryId',
      access: admin,
      schema: { params: deliveryParams },
      handler: async (request: ByDelivery) => {
        const { delivery, attempts, signature } = await webhooks.get(request.params.appId, request.params.deliveryId);
        return { delivery: presentDeliveryDetail(delivery, attempts, signature) };
      },
    },
    {
      method: 'POST',
      url: '/admin/v1/apps/:appId/webhook-deliveries/:deliveryId/redeliver',
      access: admin,
      schema: { params: deliveryParams },
      handler: async (request: ByDelivery, reply) => {
        const delivery = await webhooks.redeliver(request.params.appId, request.params.deliveryId);
        return reply.code(202).send({ delivery: presentDelivery(delivery) });
      },
    },
  ];
}
