// Snapshots through the real `switchboard` command and as start-up fixtures: save a prepared location with
// `switchboard snapshot save`, load it elsewhere with `snapshot load` (409-like refusal, then --replace), and start a
// server with SNAPSHOT_FILES: the token and the file work there; a restart on the loaded database skips them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, databaseEnv, runCli } from '../helpers/cli.js';
import { createTestDatabase, ENGINES, type EngineName, type TestDatabase } from '../helpers/engines.js';
import { createContact, createLocation, type TestLocation } from '../helpers/factories.js';
import { pngBytes, uploadMultipart } from '../helpers/files.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { send, uniquePhone } from '../helpers/messages.js';
import { saveSnapshot, snapshotText } from '../helpers/snapshots.js';

beforeAll(() => buildDist(), 60_000);

/** A database the CLI finds from its environment: for SQLite, DATA_DIR/switchboard.db. */
async function databaseIn(engine: EngineName, dataDir: string): Promise<TestDatabase> {
  if (engine === 'postgres') return createTestDatabase(engine);
  fs.mkdirSync(dataDir, { recursive: true });
  return {
    config: { engine: 'sqlite', file: path.join(dataDir, 'switchboard.db'), synchronous: 'GROUP' },
    drop: async () => {},
  };
}

async function filePath(location: TestLocation): Promise<{ path: string; conversationId: string }> {
  const contact = await createContact(location, { phone: uniquePhone() });
  const sent = await send(location, { type: 'SMS', contactId: contact.id, message: 'Hello' });
  const conversationId = sent.body.conversationId as string;
  const uploaded = await uploadMultipart(location, { conversationId, locationId: location.locationId }, [
    { name: 'pixel.png', bytes: pngBytes(), type: 'image/png' },
  ]);
  const url = new URL(Object.values(uploaded.body.uploadedFiles as Record<string, string>)[0] as string);
  return { path: url.pathname, conversationId };
}

describe.each(ENGINES)('snapshots from the command line and SNAPSHOT_FILES (%s)', (engine) => {
  let dir: string;
  let source: Harness;
  let sourceDatabase: TestDatabase;
  let location: TestLocation;
  let file: string;
  let conversationId: string;
  let fileUrlPath: string;
  const databases: TestDatabase[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-snapshot-cli-'));
    sourceDatabase = await databaseIn(engine, path.join(dir, 'source'));
    databases.push(sourceDatabase);
    source = await startHarness(engine, {
      database: sourceDatabase,
      env: { DATA_DIR: path.join(dir, 'source') },
    });
    location = await createLocation(source);
    ({ path: fileUrlPath, conversationId } = await filePath(location));
    file = path.join(dir, 'fixture.snapshot.gz');
  });
  afterAll(async () => {
    await source?.close();
    for (const database of databases) await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('saves with `snapshot save` what the admin API gives, and loads it elsewhere with `snapshot load`', async () => {
    const saved = await runCli(
      ['snapshot', 'save', '--location', location.locationId, '--out', file],
      databaseEnv(sourceDatabase, path.join(dir, 'source')),
      dir,
    );
    expect(saved.code, saved.stderr).toBe(0);
    const overHttp = await saveSnapshot(source, location.locationId);
    expect(snapshotText(fs.readFileSync(file))).toBe(snapshotText(overHttp.bytes));

    const targetDir = path.join(dir, 'target');
    const target = await databaseIn(engine, targetDir);
    databases.push(target);
    const env = databaseEnv(target, targetDir);
    const loaded = await runCli(['snapshot', 'load', file], env, dir);
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(JSON.parse(loaded.stdout)).toMatchObject({ success: true, locationId: location.locationId });

    const again = await runCli(['snapshot', 'load', file], env, dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('replace');
    const replaced = await runCli(['snapshot', 'load', file, '--replace'], env, dir);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(JSON.parse(replaced.stdout)).toMatchObject({ replaced: true });

    const missing = await runCli(['snapshot', 'save', '--location', 'nowhere', '--out', `${file}.x`], env, dir);
    expect(missing.code).toBe(1);
    expect(fs.existsSync(`${file}.x`)).toBe(false);
    // Five runs of the command, each a Node.js start and a migration check.
  }, 120_000);

  it('restores SNAPSHOT_FILES at start-up into an empty database, and skips them on one with locations', async () => {
    const dataDir = path.join(dir, 'fixtures');
    const database = await databaseIn(engine, dataDir);
    databases.push(database);
    const env = { DATA_DIR: dataDir, SNAPSHOT_FILES: file };
    const first = await startHarness(engine, { database, env });
    try {
      expect(first.server.bootstrap.fixtures.loaded).toEqual([{ file, locationId: location.locationId }]);
      const api = first.client(location.token);
      expect((await api.get(null, `/conversations/${conversationId}`)).status).toBe(200);
      const bytes = await fetch(new URL(fileUrlPath, first.baseUrl), {
        headers: { authorization: `Bearer ${location.token}` },
      });
      expect(bytes.status).toBe(200);
      expect(Buffer.from(await bytes.arrayBuffer()).equals(pngBytes())).toBe(true);
    } finally {
      await first.close();
    }
    const restarted = await startHarness(engine, { database, env });
    try {
      expect(restarted.server.bootstrap.fixtures).toEqual({ loaded: [], skipped: [file] });
    } finally {
      await restarted.close();
    }
  });

  it('stops start-up on a bad or missing fixture, naming it', async () => {
    const bad = path.join(dir, 'bad.snapshot.gz');
    fs.writeFileSync(bad, 'not a snapshot');
    const database = await createTestDatabase(engine);
    databases.push(database);
    await expect(startHarness(engine, { database, env: { SNAPSHOT_FILES: bad } })).rejects.toThrow(
      /SNAPSHOT_FILES: .*bad\.snapshot\.gz could not be restored: Invalid snapshot/,
    );
    await expect(startHarness(engine, { database, env: { SNAPSHOT_FILES: `${bad}.missing` } })).rejects.toThrow(
      /SNAPSHOT_FILES/,
    );
  });
});
