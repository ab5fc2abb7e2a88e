// Operators' admin API for apps (integrations with scopes, tokens and a webhook URL) and the conversation providers
// each app owns. Installing them on locations is in location-providers.ts.
import type { FastifyRequest } from 'fastify';
import type { AppInput, AppUpdate } from '../../domain/apps.js';
import { PROVIDER_TYPES, type ProviderInput, type ProviderUpdate } from '../../domain/providers.js';
import { SCOPES } from '../../domain/scopes.js';
import { presentApp, presentProvider } from '../../presenters/apps.js';
import type { Services } from '../../services.js';
import { WEBHOOK_TYPES } from '../../webhooks/payloads.js';
import type { Route } from '../route.js';

const admin = { kind: 'admin' } as const;
const id = { type: 'string', minLength: 1, maxLength: 64 };
const hexId = { type: 'string', pattern: '^[0-9a-f]{24}$' };
const url = { type: 'string', minLength: 1, maxLength: 2048 };
const name = { type: 'string', minLength: 1, maxLength: 200 };
const appParams = { type: 'object', properties: { appId: id }, required: ['appId'] };
const providerParams = { type: 'object', properties: { appId: id, providerId: id }, required: ['appId', 'providerId'] };
const appFields = {
  name,
  scopes: { type: 'array', items: { type: 'string', enum: [...SCOPES] }, minItems: 1, maxItems: 50 },
  webhookUrl: { ...url, type: ['string', 'null'] },
  webhookEvents: {
    type: ['array', 'null'],
    items: { type: 'string', enum: [...WEBHOOK_TYPES] },
    uniqueItems: true,
    maxItems: WEBHOOK_TYPES.length,
  },
  redirectUris: { type: 'array', items: url, maxItems: 10 },
};

type ByApp = FastifyRequest<{ Params: { appId: string } }>;
type ByProvider = FastifyRequest<{ Params: { appId: string; providerId: string } }>;

export function adminAppRoutes({ apps, providers }: Services): Route[] {
  return [
    {
      method: 'POST',
      url: '/admin/v1/apps',
      access: admin,
      schema: {
        body: {
          type: 'object',
          properties: { ...appFields, id: hexId },
          required: ['name'],
          additionalProperties: false,
        },
      },
      handler: async (request: FastifyRequest<{ Body: AppInput }>, reply) => {
        const created = await apps.create(request.body);
        // The client secret is shown this once: only its digest is kept.
        return reply.code(201).send({ app: presentApp(created.row), clientSecret: created.clientSecret });
      },
    },
    {
      method: 'GET',
      url: '/admin/v1/apps',
      access: admin,
      handler: async () => ({ apps: (await apps.list()).map(presentApp) }),
    },
    {
      method: 'GET',
      url: '/admin/v1/apps/:appId',
      access: admin,
      schema: { params: appParams },
      handler: async (request: ByApp) => ({ app: presentApp(await apps.get(request.params.appId)) }),
    },
    {
      method: 'PATCH',
      url: '/admin/v1/apps/:appId',
      access: admin,
      schema: { params: appParams, body: { type: 'object', properties: appFields, additionalProperties: false } },
      handler: async (request: FastifyRequest<{ Params: { appId: string }; Body: AppUpdate }>) => ({
        app: presentApp(await apps.update(request.params.appId, request.body)),
      }),
    },
    {
      method: 'DELETE',
      url: '/admin/v1/apps/:appId',
      access: admin,
      schema: { params: appParams },
      handler: async (request: ByApp) => {
        await apps.delete(request.params.appId);
        return { success: true };
      },
    },
    {
      method: 'POST',
      url: '/admin/v1/apps/:appId/providers',
      access: admin,
      schema: {
        params: appParams,
        body: {
          type: 'object',
          properties: { id: hexId, name, type: { type: 'string', enum: [...PROVIDER_TYPES] }, deliveryUrl: url },
          required: ['name', 'type', 'deliveryUrl'],
          additionalProperties: false,
        },
      },
      handler: async (request: FastifyRequest<{ Params: { appId: string }; Body: ProviderInput }>, reply) =>
        reply.code(201).send({ provider: presentProvider(await providers.create(request.params.appId, request.body)) }),
    },
    {
      method: 'GET',
      url: '/admin/v1/apps/:appId/providers',
      access: admin,
      schema: { params: appParams },
      handler: async (request: ByApp) => ({
        providers: (await providers.list(request.params.appId)).map(presentProvider),
      }),
    },
    {
      method: 'GET',
      url: '/admin/v1/apps/:appId/providers/:providerId',
      access: admin,
      schema: { params: providerParams },
      handler: async (request: ByProvider) => ({
        provider: presentProvider(await providers.get(request.params.appId, request.params.providerId)),
      }),
    },
    {
      method: 'PATCH',
      url: '/admin/v1/apps/:appId/providers/:providerId',
      access: admin,
      schema: {
        params: providerParams,
        // The type is fixed: a location's default for a channel must stay a provider of that channel.
        body: { type: 'object', properties: { name, deliveryUrl: url }, additionalProperties: false },
      },
      handler: async (
        request: FastifyRequest<{ Params: { appId: string; providerId: string }; Body: ProviderUpdate }>,
      ) => ({
        provider: presentProvider(
          await providers.update(request.params.appId, request.params.providerId, request.body),
        ),
      }),
    },
    {
      method: 'DELETE',
      url: '/admin/v1/apps/:appId/providers/:providerId',
      access: admin,
      schema: { params: providerParams },
      handler: async (request: ByProvider) => {
        await providers.delete(request.params.appId, request.params.providerId);
        return { success: true };
      },
    },
  ];
}
