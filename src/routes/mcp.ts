// HighLevel's MCP endpoint, /mcp/ (and /mcp): Streamable HTTP, stateless. POST carries JSON-RPC; GET (a standalone
// event stream) and DELETE (ending a session) are refused as HighLevel refuses them, for there are no sessions.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { buildTools } from '../mcp/tools.js';
import type { Services } from '../services.js';
import { switchboardVersion } from '../version.js';
import type { Route } from './route.js';

function notAllowed(_request: FastifyRequest, reply: FastifyReply) {
  return reply
    .code(405)
    .header('allow', 'POST')
    .send({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed.' }, id: null });
}

/** The MCP routes; `routes` is the rest of the route list, which the tools run. */
export function mcpRoutes({ auth, outbox, config }: Services, routes: Route[]): Route[] {
  const deps = {
    tools: buildTools(routes),
    auth,
    outbox,
    version: switchboardVersion(),
    sandboxForAll: config.mcpSandboxTools,
  };
  return [
    {
      method: 'POST',
      url: '/mcp/',
      // Authentication is per tool call, as HighLevel's: listing the tools needs no token (docs/mcp.md).
      access: { kind: 'public' },
      // The MCP SDK is loaded by the first call: most servers never take one, and it weighs on start-up.
      handler: async (request, reply) => (await import('../mcp/server.js')).serveMcp(request, reply, deps),
    },
    {
      method: 'GET',
      url: '/mcp/',
      access: { kind: 'public' },
      handler: async (request, reply) => notAllowed(request, reply),
    },
    {
      method: 'DELETE',
      url: '/mcp/',
      access: { kind: 'public' },
      handler: async (request, reply) => notAllowed(request, reply),
    },
  ];
}
