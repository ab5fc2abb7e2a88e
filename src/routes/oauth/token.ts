// HighLevel's OAuth operations (spec/reference/oauth.json): POST /oauth/token (form-encoded or JSON, snake_case or
// camelCase), and the Company token's POST /oauth/locationToken and GET /oauth/installedLocations.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseTokenRequest } from '../../domain/oauth/token-request.js';
import type { InstalledLocationsQuery } from '../../domain/oauth/tokens.js';
import { requestSchemas } from '../../http/openapi.js';
import { companyOf } from '../../http/pipeline.js';
import { presentInstalledLocations, presentLocationToken, presentTokens } from '../../presenters/oauth.js';
import type { Services } from '../../services.js';
import { type Route, schemaFrom } from '../route.js';

/** Token answers are never cached (RFC 6749 §5.1). */
function noStore(reply: FastifyReply) {
  reply.header('cache-control', 'no-store');
  reply.header('pragma', 'no-cache');
}

const digits = { type: 'string', pattern: '^[0-9]{1,6}$' };

export function oauthRoutes({ oauth }: Services): Route[] {
  return [
    {
      method: 'POST',
      url: '/oauth/token',
      // Authenticated by the client credentials in the body (or HTTP Basic), not a bearer token.
      access: { kind: 'public' },
      accepts: 'form',
      handler: async (request: FastifyRequest, reply) => {
        noStore(reply);
        const tokenRequest = parseTokenRequest(request.body, request.headers.authorization);
        return presentTokens(await oauth.tokens.exchange(tokenRequest));
      },
    },
    {
      method: 'POST',
      url: '/oauth/locationToken',
      access: { kind: 'company', scope: 'oauth.write' },
      accepts: 'form',
      schema: {
        body: {
          type: 'object',
          properties: {
            companyId: { type: 'string', minLength: 1, maxLength: 64 },
            locationId: { type: 'string', minLength: 1, maxLength: 64 },
          },
          required: ['companyId', 'locationId'],
        },
      },
      handler: async (request: FastifyRequest<{ Body: { companyId: string; locationId: string } }>, reply) => {
        noStore(reply);
        return presentLocationToken(await oauth.tokens.locationToken(companyOf(request), request.body));
      },
    },
    {
      method: 'GET',
      url: '/oauth/installedLocations',
      access: { kind: 'company', scope: 'oauth.readonly' },
      schema: schemaFrom(requestSchemas('oauth', 'get-installed-location'), {
        querystring: { properties: { skip: digits, limit: { ...digits, pattern: '^0*([1-9][0-9]?|100)$' } } },
      }),
      handler: async (request: FastifyRequest<{ Querystring: InstalledLocationsQuery }>) =>
        presentInstalledLocations(await oauth.tokens.installedLocations(companyOf(request), request.query)),
    },
  ];
}
