// Sandbox reset and delete, as an integrator's CI uses them between test cases: empty a location and keep its token,
// delete one and see its token refused, reset the whole instance.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createApp, createLocation, createProvider } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { populateLocation, storedFiles } from '../helpers/sandbox.js';

describe.each(ENGINES)('sandbox reset and delete (%s)', (engine) => {
  let harness: Harness;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'switchboard-reset-'));
    harness = await startHarness(engine, { env: { DATA_DIR: dataDir } });
  });
  afterAll(async () => {
    await harness?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('empties a location but keeps its token, apps, providers and other locations', async () => {
    const location = await createLocation(harness);
    const other = await createLocation(harness);
    const provider = await createProvider(harness, location, { isDefault: true });
    await populateLocation(location);
    const kept = await populateLocation(other);
    const filesBefore = storedFiles(dataDir).length;

    const reset = await harness.admin.post(null, `/admin/v1/locations/${location.locationId}/reset`);
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(reset.body.success).toBe(true);
    expect(reset.body.removed).toMatchObject({ contacts: 1, conversations: 1, files: 1 });
    expect(reset.body.removed.messages).toBe(3);
    expect(reset.body.removed.jobs).toBeGreaterThanOrEqual(1);
    expect(storedFiles(dataDir).length).toBe(filesBefore - 1);

    // The same token still works, and finds nothing.
    const search = await location.api.get('conversations:search-conversation', '/conversations/search', {
      query: { locationId: location.locationId },
    });
    expect(search.status).toBe(200);
    expect(search.body).toMatchObject({ conversations: [], total: 0 });
    const contacts = await location.api.get(null, '/contacts/', { query: { locationId: location.locationId } });
    expect(contacts.body.contacts ?? []).toEqual([]);
    // The provider is still installed and the location takes new traffic.
    const providers = await harness.admin.get(null, `/admin/v1/locations/${location.locationId}/providers`);
    expect(JSON.stringify(providers.body)).toContain(provider.providerId);
    await populateLocation(location);

    // The other location is untouched.
    const otherSearch = await other.api.get('conversations:search-conversation', '/conversations/search', {
      query: { locationId: other.locationId },
    });
    expect(otherSearch.body.conversations.map((c: { id: string }) => c.id)).toEqual([kept.conversationId]);
  });

  it('deletes a location: its tokens answer 401, the location 404', async () => {
    const location = await createLocation(harness);
    await populateLocation(location);
    const deleted = await harness.admin.delete(null, `/admin/v1/locations/${location.locationId}`);
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(deleted.body.removed.messages).toBe(3);
    const refused = await location.api.get('conversations:search-conversation', '/conversations/search', {
      query: { locationId: location.locationId },
    });
    expect(refused.status).toBe(401);
    expect((await harness.admin.get(null, `/admin/v1/locations/${location.locationId}`)).status).toBe(404);
    expect((await harness.admin.delete(null, `/admin/v1/locations/${location.locationId}`)).status).toBe(404);
    expect((await harness.admin.post(null, `/admin/v1/locations/${location.locationId}/reset`)).status).toBe(404);
  });

  it('exists only for the admin token', async () => {
    const location = await createLocation(harness);
    const anonymous = harness.client(location.token);
    expect((await anonymous.post(null, `/admin/v1/locations/${location.locationId}/reset`)).status).toBe(401);
    expect((await anonymous.delete(null, `/admin/v1/locations/${location.locationId}`)).status).toBe(401);
    expect((await anonymous.post(null, '/admin/v1/reset', {})).status).toBe(401);
    expect((await anonymous.get(null, '/admin/v1/clock')).status).toBe(401);
  });

  it('resets the whole instance, keeping apps when asked', async () => {
    const location = await createLocation(harness);
    await populateLocation(location);
    const app = await createApp(harness);
    const keep = await harness.admin.post(null, '/admin/v1/reset', { keepApps: true });
    expect(keep.status, JSON.stringify(keep.body)).toBe(200);
    expect(keep.body.removed.locations).toBeGreaterThanOrEqual(1);
    expect(keep.body.removed.apps).toBe(0);
    expect((await harness.admin.get(null, `/admin/v1/apps/${app.id}`)).status).toBe(200);
    expect((await harness.admin.get(null, `/admin/v1/locations/${location.locationId}`)).status).toBe(404);

    const all = await harness.admin.post(null, '/admin/v1/reset');
    expect(all.status).toBe(200);
    expect(all.body.removed.apps).toBeGreaterThanOrEqual(1);
    expect((await harness.admin.get(null, `/admin/v1/apps/${app.id}`)).status).toBe(404);
    // BOOTSTRAP_DEMO is off in tests: no location comes back.
    const listed = await harness.admin.get(null, '/admin/v1/locations');
    expect(listed.body.locations ?? []).toEqual([]);
  });
});

describe.each(ENGINES)('whole reset with BOOTSTRAP_DEMO (%s)', (engine) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(engine, { env: { BOOTSTRAP_DEMO: 'true' } });
  });
  afterAll(async () => harness?.close());

  it('bootstraps the demo location again', async () => {
    const before = harness.server.bootstrap.demo?.locationId;
    expect(before).toBeDefined();
    const reset = await harness.admin.post(null, '/admin/v1/reset', {});
    expect(reset.status).toBe(200);
    const listed = await harness.admin.get(null, '/admin/v1/locations');
    expect(listed.body.locations).toHaveLength(1);
    expect(listed.body.locations[0].id).not.toBe(before);
  });
});
