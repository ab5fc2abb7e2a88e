// The real `switchboard` command: serve on an empty database, migrate, location and token creation, bad config.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { CONFIG_VARIABLES } from '../../src/config-variables.js';
import { openStore } from '../../src/store/database.js';
import { countLocations } from '../../src/store/repositories/locations.js';
import { buildDist, databaseEnv, ROOT, runCli, type Serving, serveCli } from '../helpers/cli.js';
import { createTestDatabase, ENGINES, type EngineName, type TestDatabase } from '../helpers/engines.js';
import { Client, VERSION } from '../helpers/harness.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

async function locationCount(env: Record<string, string>): Promise<number> {
  const store = openStore(loadConfig(env).database);
  try {
    return await countLocations(store.db);
  } finally {
    await store.close();
  }
}

const running: Serving[] = [];

beforeAll(() => buildDist(), 60_000);
afterEach(async () => {
  for (const serving of running.splice(0)) await serving.stop();
});

describe.each(ENGINES)('switchboard CLI on %s', (engine: EngineName) => {
  let dir: string;
  let database: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-cli-'));
    database = await createTestDatabase(engine);
    env = { ...databaseEnv(database, path.join(dir, 'data')), PORT: '0' };
  });
  afterAll(async () => {
    await database?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function serve(extra: Record<string, string> = {}): Serving {
    const serving = serveCli({ ...env, ...extra }, dir);
    running.push(serving);
    return serving;
  }

  it('serve on an empty database prints a demo location, a working token and an admin token', async () => {
    const first = serve();
    const [, url] = await first.waitFor(/Switchboard listening on (http:\/\/127\.0\.0\.1:(\d+))/);
    expect(url).not.toMatch(/:0$/);
    const [, locationId] = await first.waitFor(/Location id:\s+([0-9A-Za-z]{20})\n/);
    const [, token] = await first.waitFor(new RegExp(`Token:\\s+(pit-${UUID})\\n`));
    const [, adminToken] = await first.waitFor(new RegExp(`Admin token .*: (sba-${UUID})\\n`));
    // The demo location has a live chat widget, and its demo page opens it.
    const [, chatDemo] = await first.waitFor(/Live chat:\s+(http\S+\/widget\/demo\?widgetId=[0-9A-Za-z]{20})\n/);
    const widgetId = new URL(chatDemo as string).searchParams.get('widgetId');
    expect((await fetch(`${url}/widget/v1/widgets/${widgetId}`)).status).toBe(200);
    // The curl line it suggests uses the real port, not the configured 0.
    expect(first.stdout).toContain(`"${url}/conversations/search?locationId=${locationId}"`);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    const api = new Client(url as string, { authorization: `Bearer ${token}`, version: VERSION });
    const search = await api.get('conversations:search-conversation', '/conversations/search', {
      query: { locationId: locationId as string },
    });
    expect(search.status).toBe(200);
    expect(search.body).toMatchObject({ conversations: [], total: 0 });
    const admin = new Client(url as string, { authorization: `Bearer ${adminToken}` });
    const location = await admin.get(null, `/admin/v1/locations/${locationId}`);
    expect(location.status).toBe(200);
    expect(location.body.location).toMatchObject({ id: locationId, name: 'Demo Location' });

    expect(await first.stop()).toBe(0);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/Switchboard shutting down \(SIGTERM\)[^\n]*\nSwitchboard stopped\.\n$/);

    // A second start on the same database creates no second demo location and keeps the first tokens.
    const second = serve();
    const [, secondUrl] = await second.waitFor(/Switchboard listening on (http:\/\/\S+)/);
    await second.waitFor(/Admin token: generated on first start/);
    expect(second.stdout).not.toMatch(/demo location|pit-|sba-/);
    const again = await new Client(secondUrl as string, { authorization: `Bearer ${token}`, version: VERSION }).get(
      'conversations:search-conversation',
      '/conversations/search',
      { query: { locationId: locationId as string } },
    );
    expect(again.status).toBe(200);
    const stillAdmin = await new Client(secondUrl as string, { authorization: `Bearer ${adminToken}` }).get(
      null,
      `/admin/v1/locations/${locationId}`,
    );
    expect(stillAdmin.status).toBe(200);
    expect(await second.stop()).toBe(0);
    expect(await locationCount(env)).toBe(1);
  });

  it('location create and token create print values that work against a server', async () => {
    const created = await runCli(['location', 'create', '--name', 'Shop'], env, dir);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const locationId = created.stdout.trim();
    expect(locationId).toMatch(/^[0-9A-Za-z]{20}$/);

    const issued = await runCli(['token', 'create', '--location', locationId], env, dir);
    expect(issued).toMatchObject({ code: 0, stderr: '' });
    const token = issued.stdout.trim();
    expect(token).toMatch(new RegExp(`^pit-${UUID}$`));
    const reader = await runCli(
      ['token', 'create', '--location', locationId, '--scope', 'conversations.readonly'],
      env,
      dir,
    );
    expect(reader.code).toBe(0);

    const serving = serve({ SWITCHBOARD_ADMIN_TOKEN: 'cli-test-admin-token-0000' });
    const [, url] = await serving.waitFor(/Switchboard listening on (http:\/\/\S+)/);
    const full = new Client(url as string, { authorization: `Bearer ${token}`, version: VERSION });
    const search = await full.get('conversations:search-conversation', '/conversations/search', {
      query: { locationId },
    });
    expect(search.status).toBe(200);
    const readOnly = new Client(url as string, { authorization: `Bearer ${reader.stdout.trim()}`, version: VERSION });
    const write = await readOnly.post('conversations:create-conversation', '/conversations/', {
      locationId,
      contactId: 'anyone',
    });
    expect(write.status).toBe(401);
    expect(await serving.stop()).toBe(0);
  });

  it('token create fails with a message for an unknown location or scope', async () => {
    const unknownLocation = await runCli(['token', 'create', '--location', 'nope'], env, dir);
    expect(unknownLocation.code).toBe(1);
    expect(unknownLocation.stderr).toMatch(/Location not found/);
    const location = (await runCli(['location', 'create', '--name', 'Scoped'], env, dir)).stdout.trim();
    const unknownScope = await runCli(
      ['token', 'create', '--location', location, '--scope', 'calendars.write'],
      env,
      dir,
    );
    expect(unknownScope.code).toBe(1);
    expect(unknownScope.stderr).toMatch(/scopes must be one of .*calendars\.write/);
  });
});

describe('switchboard CLI without a server', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-cli-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('migrate applies every migration to an empty database, then has nothing to do', async () => {
    const env = { DATA_DIR: path.join(dir, 'migrate') };
    const first = await runCli(['migrate'], env, dir);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^Applied: 0001_foundation/);
    expect(fs.existsSync(path.join(dir, 'migrate', 'switchboard.db'))).toBe(true);
    const second = await runCli(['migrate'], env, dir);
    expect(second).toMatchObject({ code: 0, stdout: 'Database is up to date.\n' });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['LOG_LEVEL', 'loud'],
    ['LOG_FORMAT', 'fancy'],
    ['METRICS_TOKEN', 'short'],
    ['PUBLIC_URL', 'not a url'],
    ['SWITCHBOARD_ADMIN_TOKEN', 'short'],
  ])('a bad %s (%s) stops start-up with a non-zero exit naming the variable', async (name, value) => {
    const dataDir = path.join(dir, `bad-${name}`);
    const commands = ['serve', 'migrate'];
    const results = await Promise.all(
      commands.map((command) => runCli([command], { DATA_DIR: dataDir, PORT: '0', [name]: value }, dir)),
    );
    for (const [index, result] of results.entries()) {
      expect(result.code, commands[index]).not.toBe(0);
      expect(result.stderr).toContain(`Invalid configuration: ${name}`);
      expect(result.stdout).toBe('');
    }
    // Nothing was opened or created before the configuration was read.
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('an unknown command exits non-zero with the usage', async () => {
    const result = await runCli(['frobnicate'], { DATA_DIR: path.join(dir, 'unused') }, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Unknown command "frobnicate"[\s\S]*Usage: switchboard/);
  });

  it('--help prints the usage and every configuration variable, and exits 0', async () => {
    const result = await runCli(['--help'], { DATA_DIR: path.join(dir, 'unused') }, dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: switchboard <command>/);
    for (const variable of CONFIG_VARIABLES) expect(result.stdout).toContain(`    ${variable.name} `);
  });

  it('--version prints the version of the package', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    for (const flag of ['--version', '-v']) {
      const result = await runCli([flag], { DATA_DIR: path.join(dir, 'unused') }, dir);
      expect(result).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
    }
  });

  it('serve on a port already taken exits 1 with one line saying so, every time', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = String((taken.address() as net.AddressInfo).port);
    try {
      // The failure once raced the background checkpointer's exit and ended with status 0 and no word: try it often.
      const results = await Promise.all(
        [1, 2, 3].map((n) => runCli(['serve'], { DATA_DIR: path.join(dir, `busy-${n}`), PORT: port }, dir)),
      );
      for (const result of results) {
        expect(result.code).toBe(1);
        expect(result.stderr).toBe(
          `Switchboard could not start: 127.0.0.1:${port} is already in use (set PORT or HOST).\n`,
        );
      }
    } finally {
      taken.close();
    }
  }, 120_000);

  it('serve with an unreachable database exits 1 with one line naming it, without its password', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const url = `postgres://switchboard:hunter2@127.0.0.1:${port}/conversations`;
    const result = await runCli(['serve'], { DATA_DIR: path.join(dir, 'nodb'), PORT: '0', DATABASE_URL: url }, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `Switchboard could not start: cannot reach PostgreSQL at 127.0.0.1:${port}/conversations (ECONNREFUSED; check DATABASE_URL).\n`,
    );
    expect(result.stderr).not.toContain('hunter2');
  });
});
