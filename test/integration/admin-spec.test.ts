// spec/switchboard/admin.json describes the admin API as served: every /admin/v1 route is in it and it names no other,
// and real answers of the admin API match its schemas (the harness validates every call named by an operation).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPEC_DIR } from '../../src/http/openapi.js';
import { allRoutes } from '../../src/routes/index.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { inertServices } from '../helpers/inert-services.js';
import { inbound } from '../helpers/messages.js';

type Json = Record<string, unknown>;
const document = JSON.parse(fs.readFileSync(path.join(SPEC_DIR, 'switchboard/admin.json'), 'utf8')) as Json;

describe('the admin API document', () => {
  it('lists exactly the admin routes the app serves', () => {
    const served = allRoutes(inertServices())
      .filter((route) => route.url.startsWith('/admin/v1'))
      .map((route) => `${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    const documented = Object.entries(document.paths as Json)
      .flatMap(([url, methods]) => Object.keys(methods as Json).map((method) => `${method.toUpperCase()} ${url}`))
      .sort();
    expect(documented).toEqual(served);
  });

  it('gives every operation an id, a summary, its path parameters and a success answer', () => {
    const ids = new Set<string>();
    for (const [url, methods] of Object.entries(document.paths as Json)) {
      for (const [method, operation] of Object.entries(methods as Record<string, Json>)) {
        const where = `${method} ${url}`;
        expect(typeof operation.operationId, where).toBe('string');
        expect(ids.has(operation.operationId as string), `${where}: duplicate operationId`).toBe(false);
        ids.add(operation.operationId as string);
        expect(operation.summary, where).toBeTruthy();
        const inPath = [...url.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
        const declared = (operation.parameters as Json[]).filter((p) => p.in === 'path').map((p) => p.name);
        expect(declared, where).toEqual(inPath);
        expect(
          Object.keys(operation.responses as Json).some((status) => status.startsWith('2')),
          where,
        ).toBe(true);
      }
    }
  });
});

describe.each(ENGINES)('admin answers match the admin API document (%s)', (engine) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(engine);
  });
  afterAll(async () => harness?.close());

  it('locations, tokens and the outbox', async () => {
    const created = await harness.admin.post('admin:create-location', '/admin/v1/locations', { name: 'Spec check' });
    expect(created.status).toBe(201);
    const id = created.body.location.id as string;
    expect((await harness.admin.get('admin:get-location', `/admin/v1/locations/${id}`)).status).toBe(200);
    expect((await harness.admin.get('admin:list-locations', '/admin/v1/locations')).status).toBe(200);
    const token = await harness.admin.post('admin:issue-token', `/admin/v1/locations/${id}/tokens`, {});
    expect(token.status).toBe(201);
    expect((await harness.admin.get('admin:list-tokens', `/admin/v1/locations/${id}/tokens`)).status).toBe(200);
    expect((await harness.admin.get('admin:list-outbox', `/admin/v1/locations/${id}/outbox`)).status).toBe(200);
    expect((await harness.admin.get('admin:get-location', '/admin/v1/locations/nope')).status).toBe(404);
  });

  it('the sandbox: clock, faults, journal and reset', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location);
    await inbound(location, { type: 'SMS', contactId: contact.id, message: 'Journal me' });
    expect((await harness.admin.get('admin:get-clock', '/admin/v1/clock')).status).toBe(200);
    const fault = await harness.admin.post('admin:add-fault', '/admin/v1/faults', {
      target: 'api',
      match: { locationId: location.locationId, route: '/conversations/{conversationId}' },
      effect: { status: 503 },
      times: 1,
    });
    expect(fault.status).toBe(201);
    expect((await harness.admin.get('admin:list-faults', '/admin/v1/faults')).body.faults).toHaveLength(1);
    expect((await harness.admin.delete('admin:remove-fault', `/admin/v1/faults/${fault.body.fault.id}`)).status).toBe(
      200,
    );
    const journal = await harness.admin.get(
      'admin:list-requests',
      `/admin/v1/locations/${location.locationId}/requests`,
    );
    expect(journal.body.requests.length).toBeGreaterThan(0);
    const reset = await harness.admin.post('admin:reset-location', `/admin/v1/locations/${location.locationId}/reset`);
    expect(reset.body.removed.conversations).toBe(1);
    expect((await harness.admin.post('admin:move-clock', '/admin/v1/clock', { advanceMs: 1 })).status).toBe(409);
  });
});
