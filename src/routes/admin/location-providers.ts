// Operators' admin API for what a location has installed: apps (whose webhooks then tell of the location's changes)
// and conversation providers, each the location's default for its channel or a custom one that messages name.
import type { FastifyRequest } from 'fastify';
import { presentInstalledApp, presentInstalledProvider } from '../../presenters/apps.js';
import type { Services } from '../../services.js';
import type { Route } from '../route.js';

const admin = { kind: 'admin' } as const;
const id = { type: 'string', minLength: 1, maxLength: 64 };
const locationParams = { type: 'object', properties: { locationId: id }, required: ['locationId'] };
const appParams = { type: 'object', properties: { locationId: id, appId: id }, required: ['locationId', 'appId'] };
const providerParams = {
  type: 'object',
  properties: { locationId: id, providerId: id },
  required: ['locationId', 'providerId'],
};

type ByLocation = FastifyRequest<{ Params: { locationId: string } }>;
type ByApp = FastifyRequest<{ Params: { locationId: string; appId: string } }>;
type ByProvider = FastifyRequest<{ Params: { locationId: string; providerId: string } }>;

export function adminLocationProviderRoutes({ apps, providers }: Services): Route[] {
  return [
    {
      method: 'PUT',
      url: '/admin/v1/locations/:locationId/apps/:appId',
      access: admin,
      schema: { params: appParams },
      handler: async (request: ByApp, reply) => {
        const { app, created } = await apps.install(request.params.locationId, request.params.appId);
        return reply.code(created ? 201 : 200).send({ app: presentInstalledApp(app) });
      },
    },
    {
      method: 'GET',
      url: '/admin/v1/locations/:locationId/apps',
      access: admin,
      schema: { params: locationParams },
      handler: async (request: ByLocation) => ({
        apps: (await apps.installed(request.params.locationId)).map(presentInstalledApp),
      }),
    },
    {
      method: 'DELETE',
      url: '/admin/v1/locations/:locationId/apps/:appId',
      access: admin,
      schema: { params: appParams },
      handler: async (request: ByApp) => {
        await apps.uninstall(request.params.locationId, request.params.appId);
        return { success: true };
      },
    },
    {
      method: 'POST',
      url: '/admin/v1/locations/:locationId/providers',
      access: admin,
      schema: {
        params: locationParams,
        body: {
          type: 'object',
          properties: { providerId: id, isDefault: { type: 'boolean' } },
          required: ['providerId'],
          additionalProperties: false,
        },
      },
      handler: async (
        request: FastifyRequest<{ Params: { locationId: string }; Body: { providerId: string; isDefault?: boolean } }>,
        reply,
      ) => {
        const installed = await providers.install(request.params.locationId, request.body);
        return reply.code(201).send({ provider: presentInstalledProvider(installed) });
      },
    },
    {
      method: 'GET',
      url: '/admin/v1/locations/:locationId/providers',
      access: admin,
      schema: { params: locationParams },
      handler: async (request: ByLocation) => ({
        providers: (await providers.listInstalled(request.params.locationId)).map(presentInstalledProvider),
      }),
    },
    {
      method: 'GET',
      url: '/admin/v1/locations/:locationId/providers/:providerId',
      access: admin,
      schema: { params: providerParams },
      handler: async (request: ByProvider) => ({
        provider: presentInstalledProvider(
          await providers.installed(request.params.locationId, request.params.providerId),
        ),
      }),
    },
    {
      method: 'PATCH',
      url: '/admin/v1/locations/:locationId/providers/:providerId',
      access: admin,
      schema: {
        params: providerParams,
        body: {
          type: 'object',
          properties: { isDefault: { type: 'boolean' } },
          required: ['isDefault'],
          additionalProperties: false,
        },
      },
      handler: async (
        request: FastifyRequest<{ Params: { locationId: string; providerId: string }; Body: { isDefault: boolean } }>,
      ) => {
        const { locationId, providerId } = request.params;
        return {
          provider: presentInstalledProvider(
            await providers.setDefault(locationId, providerId, request.body.isDefault),
          ),
        };
      },
    },
    {
      method: 'DELETE',
      url: '/admin/v1/locations/:locationId/providers/:providerId',
      access: admin,
      schema: { params: providerParams },
      handler: async (request: ByProvider) => {
        await providers.uninstall(request.params.locationId, request.params.providerId);
        return { success: true };
      },
    },
  ];
}
