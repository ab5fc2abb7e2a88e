// Readiness (/readyz) beside liveness (/healthz): ready while the database answers, has run every migration and the
// blob store can be read and written; otherwise 503, naming each failing check and nothing of its internals.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createLocation } from '../helpers/factories.js';
import { type Harness, type Response, startHarness } from '../helpers/harness.js';

const SECRET = 'readiness-secret-never-shown';

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.each(ENGINES)('readiness on %s', (engine) => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });
  const readyz = (h: Harness): Promise<Response> =>
    h.admin.request('GET', null, '/readyz', { headers: { authorization: undefined } });

  it('is ready when the database, its migrations and the blob store are in order', async () => {
    harness = await startHarness(engine);
    const response = await readyz(harness);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'ready',
      checks: { database: { status: 'ok' }, migrations: { status: 'ok' }, blobStore: { status: 'ok' } },
    });
    expect(
      (await harness.admin.request('GET', null, '/healthz', { headers: { authorization: undefined } })).status,
    ).toBe(200);
  });

  it('is not ready when the disk blob store cannot be written, and says so without its path', async () => {
    harness = await startHarness(engine);
    const store = harness.server.services.config.blobStore;
    if (store.kind !== 'disk') throw new Error('expected the disk store');
    // A file where the store's directory should be: nothing can be written there (even by root).
    fs.rmSync(store.root, { recursive: true, force: true });
    fs.writeFileSync(store.root, 'not a directory');
    const response = await readyz(harness);
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      status: 'unready',
      checks: {
        database: { status: 'ok' },
        migrations: { status: 'ok' },
        blobStore: { status: 'failing', reason: expect.any(String) },
      },
    });
    expect(JSON.stringify(response.body)).not.toContain(path.basename(store.root));
    expect(JSON.stringify(response.body)).not.toContain(store.root);
    fs.rmSync(store.root);
    expect((await readyz(harness)).status).toBe(200);
  });

  it('is not ready when the S3 server does not answer, and shows none of its credentials', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    harness = await startHarness(engine, {
      env: {
        BLOB_STORE_URL: 's3://switchboard-readiness/prefix',
        AWS_ENDPOINT_URL_S3: endpoint,
        AWS_ACCESS_KEY_ID: 'readiness-key',
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_REGION: 'us-east-1',
      },
    });
    const response = await readyz(harness);
    expect(response.status).toBe(503);
    expect(response.body.checks.blobStore.status).toBe('failing');
    expect(response.body.checks.database.status).toBe('ok');
    const text = JSON.stringify(response.body);
    for (const secret of [SECRET, 'readiness-key', endpoint, 'stack']) expect(text).not.toContain(secret);
  });

  it('is not ready when the database lacks a migration this server knows', async () => {
    harness = await startHarness(engine);
    // As a database that an older Switchboard migrated, reached by this newer one before it has migrated it: the
    // migration's record removed, as if it had never run.
    const last = '0020_console_sessions';
    await sql`delete from kysely_migration where name = ${last}`.execute(harness.server.store.db);
    const response = await readyz(harness);
    expect(response.status).toBe(503);
    expect(response.body.checks).toMatchObject({
      database: { status: 'ok' },
      migrations: { status: 'failing', reason: `not applied: ${last}` },
      blobStore: { status: 'ok' },
    });
  });

  it('answers 503 stopping from the moment it is told to stop, while it still serves through the drain', async () => {
    const stopping = await startHarness(engine, { env: { SHUTDOWN_DRAIN_MS: '4000' } });
    harness = stopping;
    const location = await createLocation(stopping);
    expect((await readyz(stopping)).status).toBe(200);
    const closed = stopping.close();
    harness = undefined;
    try {
      const response = await readyz(stopping);
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ status: 'stopping' });
      // Only readiness changes: the server goes on serving while a load balancer takes it out of rotation.
      const contact = await createContact(location);
      expect(contact.id).toEqual(expect.any(String));
      expect(
        (await stopping.admin.request('GET', null, '/healthz', { headers: { authorization: undefined } })).status,
      ).toBe(200);
    } finally {
      await closed;
    }
  });
});
