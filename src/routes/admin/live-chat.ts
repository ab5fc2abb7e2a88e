// Operators' live chat widgets: create one for a location (its id goes in the embed code), list, read.
import type { FastifyRequest } from 'fastify';
import type { WidgetInput } from '../../domain/live-chat/widgets.js';
import { presentWidget } from '../../presenters/live-chat.js';
import type { Services } from '../../services.js';
import type { Route } from '../route.js';

const admin = { kind: 'admin' } as const;
const id = { type: 'string', minLength: 1, maxLength: 64 };
const locationParams = { type: 'object', properties: { locationId: id }, required: ['locationId'] };

export function adminLiveChatRoutes({ widgets, config }: Services): Route[] {
  return [
    {
      method: 'POST',
      url: '/admin/v1/locations/:locationId/live-chat/widgets',
      access: admin,
      schema: {
        params: locationParams,
        body: {
          type: 'object',
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            title: { type: 'string', minLength: 1, maxLength: 100 },
            greeting: { type: ['string', 'null'], maxLength: 500 },
            color: { type: 'string', pattern: '^#[0-9A-Fa-f]{6}$' },
          },
          additionalProperties: false,
        },
      },
      handler: async (
        request: FastifyRequest<{ Params: { locationId: string }; Body: WidgetInput | undefined }>,
        reply,
      ) => {
        const row = await widgets.create(request.params.locationId, request.body ?? {});
        return reply.code(201).send({ widget: presentWidget(row, config.publicUrl) });
      },
    },
    {
      method: 'GET',
      url: '/admin/v1/locations/:locationId/live-chat/widgets',
      access: admin,
      schema: { params: locationParams },
      handler: async (request: FastifyRequest<{ Params: { locationId: string } }>) => ({
        widgets: (await widgets.list(request.params.locationId)).map((row) => presentWidget(row, config.publicUrl)),
      }),
    },
    {
      method: 'GET',
      url: '/admin/v1/locations/:locationId/live-chat/widgets/:widgetId',
      access: admin,
      schema: {
        params: { type: 'object', properties: { locationId: id, widgetId: id }, required: ['locationId', 'widgetId'] },
      },
      handler: async (request: FastifyRequest<{ Params: { locationId: string; widgetId: string } }>) => ({
        widget: presentWidget(await widgets.get(request.params.locationId, request.params.widgetId), config.publicUrl),
      }),
    },
  ];
}
