// The shared security test: every location route the app serves, through the whole pipeline in order —
// Version header, token, scope, location — and the admin API's own token, the unknown route and the traceId.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES, type Scope } from '../../src/domain/scopes.js';
import { ACCEPTED_VERSIONS } from '../../src/http/access.js';
import { specOperations } from '../../src/http/openapi.js';
import { ADMIN_HEADER } from '../../src/mcp/server.js';
import { buildTools } from '../../src/mcp/tools.js';
import { allRoutes } from '../../src/routes/index.js';
import { ENGINES } from '../helpers/engines.js';
import { createLocation, issueToken, type TestLocation } from '../helpers/factories.js';
import { ADMIN_TOKEN, type Client, type Harness, type Response, startHarness } from '../helpers/harness.js';
import { callTool as callMcpTool, mcpClient } from '../helpers/mcp.js';
import { LOCATION_ROUTES, type LocationRoute, pathOf, type RouteRequest, routeKey } from '../helpers/routes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function expectTraced(response: Response) {
  expect(response.headers.get('x-trace-id')).toMatch(UUID);
  // In the body where it is a JSON object (an array, the transcription's sentences, has no room for it).
  if (response.body !== null && typeof response.body === 'object' && !Array.isArray(response.body)) {
    expect(response.body.traceId).toBe(response.headers.get('x-trace-id'));
  }
}

function expectError(response: Response, status: number, message?: string) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body).toMatchObject({ statusCode: status, error: expect.any(String) });
  if (message !== undefined) expect(response.body.message).toBe(message);
  expectTraced(response);
}

describe.each(ENGINES)('security on %s', (engine) => {
  let harness: Harness;
  let owner: TestLocation;
  let stranger: TestLocation;
  let revokedToken: string;
  const scopeless = new Map<string, string>();

  beforeAll(async () => {
    harness = await startHarness(engine);
    owner = await createLocation(harness);
    stranger = await createLocation(harness);
    revokedToken = await issueToken(harness, owner.locationId);
    const tokens = await harness.admin.get(null, `/admin/v1/locations/${owner.locationId}/tokens`);
    const last = tokens.body.tokens.at(-1) as { id: string };
    const revoked = await harness.admin.delete(null, `/admin/v1/locations/${owner.locationId}/tokens/${last.id}`);
    if (revoked.status !== 200) throw new Error(`revoke: ${revoked.status}`);
  });
  afterAll(() => harness?.close());

  /** A token of the location holding every scope but the one given. */
  async function tokenWithout(location: TestLocation, scope: Scope): Promise<string> {
    const key = `${location.locationId} ${scope}`;
    let token = scopeless.get(key);
    if (!token) {
      token = await issueToken(
        harness,
        location.locationId,
        SCOPES.filter((s) => s !== scope),
      );
      scopeless.set(key, token);
    }
    return token;
  }

  function versionOptional(route: LocationRoute): boolean {
    const registered = allRoutes(harness.server.services).find((r) => routeKey(r) === routeKey(route));
    return registered?.access.kind === 'location' && registered.access.versionOptional === true;
  }

  /** Sends a fresh valid request of the route built on the owner's data, through the given client. */
  /** The owner's client, as the request needs it sent: some come from an app's token of the location (§5). */
  const ownerFor = (request: RouteRequest) =>
    request.token ? owner.api.withHeaders({ authorization: `Bearer ${request.token}` }) : owner.api;

  async function send(route: LocationRoute, client: Client, headers: Record<string, string | undefined> = {}) {
    const request = await route.build(owner);
    const sender = client === owner.api ? ownerFor(request) : client;
    return sender.request(route.method, route.operation, pathOf(route.url, request.params), {
      query: request.query,
      body: request.body,
      headers,
    });
  }

  it('covers every location route the app registers, each with the scope the spec names', () => {
    const registered = allRoutes(harness.server.services).filter((route) => route.access.kind === 'location');
    expect(LOCATION_ROUTES.map(routeKey).sort()).toEqual(registered.map(routeKey).sort());
    const specScopes = new Map<string, string[]>(
      (['conversations', 'contacts', 'locations', 'extensions', 'oauth'] as const).flatMap((spec) =>
        specOperations(spec).map((op) => [`${spec}:${op.operationId}`, op.scopes] as const),
      ),
    );
    for (const route of LOCATION_ROUTES) {
      const declared = registered.find((r) => routeKey(r) === routeKey(route))?.access;
      expect(declared, routeKey(route)).toMatchObject({ kind: 'location', scope: route.scope });
      expect(specScopes.get(route.operation), route.operation).toContain(route.scope);
    }
  });

  describe.each(LOCATION_ROUTES)('$method $url', (route) => {
    it('requires a known Version header, before the token', async () => {
      const missing = await send(route, owner.api, { version: undefined });
      const missingAndNoToken = await send(route, owner.api, { version: undefined, authorization: undefined });
      if (versionOptional(route)) {
        // The two email operations the spec lists without a Version parameter accept a missing one (§1).
        expect(missing.status, JSON.stringify(missing.body)).toBeLessThan(300);
        expectError(missingAndNoToken, 401, 'Invalid JWT');
      } else {
        expectError(missing, 401, 'version header was not found.');
        expectError(missingAndNoToken, 401, 'version header was not found.');
      }
      for (const version of ['2020-01-01', 'V3', 'v2', '2021-07-28T00:00:00Z', 'latest']) {
        expectError(await send(route, owner.api, { version }), 401, 'version header is invalid');
      }
    });

    it('accepts every documented Version', async () => {
      for (const version of ACCEPTED_VERSIONS) {
        const response = await send(route, owner.api, { version });
        expect(response.status, `${version}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
        expectTraced(response);
      }
    });

    it('requires a live token', async () => {
      expectError(await send(route, owner.api, { authorization: undefined }), 401, 'Invalid JWT');
      for (const authorization of ['Bearer', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x', 'Basic dXNlcjpwYXNz', 'pit-x']) {
        expectError(await send(route, owner.api, { authorization }), 401, 'Invalid JWT');
      }
      const unknown = await send(route, owner.api, { authorization: `Bearer pit-${randomUUID()}` });
      expectError(unknown, 401, 'Invalid Private Integration token');
      const revoked = await send(route, owner.api, { authorization: `Bearer ${revokedToken}` });
      expectError(revoked, 401, 'Invalid Private Integration token');
    });

    it('requires the route’s scope, checked before the location', async () => {
      const own = harness.client(await tokenWithout(owner, route.scope));
      expectError(await send(route, own), 401, 'The token is not authorized for this scope.');
      const foreign = harness.client(await tokenWithout(stranger, route.scope));
      expectError(await send(route, foreign), 401, 'The token is not authorized for this scope.');
    });

    it('keeps another location’s token out, and leaves the data as it was', async () => {
      const request = await route.build(owner);
      const path = pathOf(route.url, request.params);
      const options = { query: request.query, body: request.body };
      const foreign = await stranger.api.request(route.method, route.operation, path, options);
      if (route.namesLocation) expectError(foreign, 403, 'The token does not have access to this location.');
      else expectError(foreign, route.foreignStatus ?? 404);
      // A path naming nothing but the location (the location record itself) is the stranger's own when relabelled.
      const resourceParams = Object.keys(request.params ?? {}).filter((name) => name !== 'locationId');
      if (route.namesLocation && resourceParams.length > 0) {
        // Naming its own location does not open another location's resource: that is the same 404.
        const own = (value: unknown) =>
          value && typeof value === 'object' ? { ...value, locationId: stranger.locationId } : value;
        // A location in the path is relabelled too.
        const ownPath = pathOf(route.url, own(request.params) as Record<string, string>);
        const mislabelled = await stranger.api.request(route.method, route.operation, ownPath, {
          query: own(request.query) as typeof request.query,
          body: own(request.body),
        });
        expectError(mislabelled, 404);
      }
      // Nothing was consumed: the owner's same request still succeeds.
      const mine = await ownerFor(request).request(route.method, route.operation, path, options);
      expect(mine.status, JSON.stringify(mine.body)).toBeLessThan(300);
      expectTraced(mine);
    });
  });

  it('guards every admin route with the admin token', async () => {
    const adminRoutes = allRoutes(harness.server.services).filter((route) => route.access.kind === 'admin');
    expect(adminRoutes.length).toBeGreaterThan(0);
    for (const route of adminRoutes) {
      const path = route.url.replace(/:(\w+)/g, owner.locationId);
      const body = ['POST', 'PUT', 'PATCH'].includes(String(route.method)) ? {} : undefined;
      for (const authorization of [undefined, 'Bearer wrong-admin-token', `Bearer ${owner.token}`, 'Bearer']) {
        const response = await harness.admin.request(String(route.method), null, path, {
          body,
          headers: { authorization },
        });
        expectError(response, 401, 'Invalid admin token');
      }
    }
  });

  it('guards every MCP tool as the location route it runs: no token, no scope, another location', async () => {
    const routes = allRoutes(harness.server.services);
    const tools = buildTools(routes.filter((route) => route.access.kind === 'location'));
    // With the admin token beside, so the sandbox tools are listed too.
    const sandbox = { [ADMIN_HEADER]: ADMIN_TOKEN };
    const anonymous = await mcpClient(harness.baseUrl, sandbox);
    const foreign = await mcpClient(harness.baseUrl, { ...sandbox, authorization: `Bearer ${stranger.token}` });
    try {
      for (const tool of tools) {
        // The tool runs a route of this table, so every check above covers it too.
        const route = LOCATION_ROUTES.find((r) => r.method === tool.method && r.url === tool.url);
        expect(route, tool.name).toBeDefined();
        expect(tool.scope, tool.name).toBe(route?.scope);
        const missing = await callMcpTool(anonymous, tool.name, {});
        expect(missing, tool.name).toMatchObject({ success: false, status: 401 });
        const scopeless = await mcpClient(harness.baseUrl, {
          ...sandbox,
          authorization: `Bearer ${await tokenWithout(owner, tool.scope)}`,
        });
        const refused = await callMcpTool(scopeless, tool.name, {});
        expect(refused.data.message, tool.name).toBe(
          `The token is not authorized for this scope: ${tool.name} needs ${tool.scope}.`,
        );
        await scopeless.close();
        if (tool.locationArgument) {
          const elsewhere = await callMcpTool(foreign, tool.name, { [tool.locationArgument]: owner.locationId });
          expect(elsewhere, tool.name).toMatchObject({ status: 403 });
        }
      }
    } finally {
      await anonymous.close();
      await foreign.close();
    }
  });

  it('answers an unknown route with 404 “Cannot METHOD /path”', async () => {
    expectError(await owner.api.get(null, '/x'), 404, 'Cannot GET /x');
    expectError(await owner.api.get(null, '/x?locationId=1'), 404, 'Cannot GET /x');
    expectError(await owner.api.post(null, '/x', {}), 404, 'Cannot POST /x');
    expectError(await owner.api.get(null, '/conversations/a/b/c'), 404, 'Cannot GET /conversations/a/b/c');
    expectError(await owner.api.patch(null, '/contacts/abc', {}), 404, 'Cannot PATCH /contacts/abc');
    const anonymous = await harness.admin.request('GET', null, '/x', { headers: { authorization: undefined } });
    expectError(anonymous, 404, 'Cannot GET /x');
  });

  it('traces the public health check too', async () => {
    const health = await harness.admin.request('GET', null, '/healthz', { headers: { authorization: undefined } });
    expect(health.status).toBe(200);
    expectTraced(health);
  });
});
