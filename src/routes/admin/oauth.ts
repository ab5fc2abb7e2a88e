// Operators' admin API for OAuth: an app's client secret (rotated, shown once), headless authorisations that hand
// out a code as the consent page would, and the public key access tokens are signed with.
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { appRedirectUris } from '../../domain/oauth/authorizations.js';
import { SCOPES } from '../../domain/scopes.js';
import { presentCode } from '../../presenters/oauth.js';
import type { Services } from '../../services.js';
import type { Route } from '../route.js';

const admin = { kind: 'admin' } as const;
const id = { type: 'string', minLength: 1, maxLength: 64 };
const appParams = { type: 'object', properties: { appId: id }, required: ['appId'] };

interface AuthorizationBody {
  locationId?: string;
  companyId?: string;
  userType?: 'Location' | 'Company';
  scopes?: string[];
  redirectUri?: string;
  userId?: string;
}

export function adminOAuthRoutes({ apps, oauth }: Services): Route[] {
  return [
    {
      method: 'POST',
      url: '/admin/v1/apps/:appId/client-secret',
      access: admin,
      schema: { params: appParams },
      handler: async (request: FastifyRequest<{ Params: { appId: string } }>, reply) =>
        reply.code(201).send(await apps.rotateClientSecret(request.params.appId)),
    },
    {
      method: 'POST',
      url: '/admin/v1/apps/:appId/authorizations',
      access: admin,
      schema: {
        params: appParams,
        body: {
          type: 'object',
          properties: {
            locationId: id,
            companyId: id,
            userType: { type: 'string', enum: ['Location', 'Company'] },
            scopes: { type: 'array', items: { type: 'string', enum: [...SCOPES] }, minItems: 1, maxItems: 50 },
            redirectUri: { type: 'string', minLength: 1, maxLength: 2048 },
            userId: id,
          },
          additionalProperties: false,
        },
      },
      handler: async (request: FastifyRequest<{ Params: { appId: string }; Body: AuthorizationBody }>, reply) => {
        const body = request.body;
        const app = await apps.get(request.params.appId);
        const userType = body.userType ?? (body.companyId !== undefined ? 'Company' : 'Location');
        const targetId = userType === 'Company' ? body.companyId : body.locationId;
        if (targetId === undefined || (body.locationId !== undefined && body.companyId !== undefined)) {
          throw new DomainError('VALIDATION_FAILED', [
            userType === 'Company'
              ? 'companyId (and no locationId) is needed for a Company authorization'
              : 'locationId (and no companyId) is needed for a Location authorization',
          ]);
        }
        if (body.redirectUri !== undefined && !appRedirectUris(app).includes(body.redirectUri)) {
          throw new DomainError('VALIDATION_FAILED', ['redirectUri must be one of the redirect URIs of the app']);
        }
        const issued = await oauth.authorizations.authorize({
          app,
          userType,
          targetId,
          ...(body.scopes ? { scopes: body.scopes } : {}),
          redirectUri: body.redirectUri ?? null,
          ...(body.userId ? { userId: body.userId } : {}),
        });
        return reply.code(201).send(presentCode(issued, body.redirectUri ?? null));
      },
    },
    {
      method: 'GET',
      url: '/admin/v1/oauth/public-key',
      access: admin,
      handler: async () => oauth.key.publicKey(),
    },
  ];
}
