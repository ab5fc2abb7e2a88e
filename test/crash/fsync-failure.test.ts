// A failed fsync stops the server process at once, with a fatal log that says why (crash-only, as PostgreSQL does):
// the write it covered is never acknowledged, and nothing commits after it. A restart recovers from the disk.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, databaseEnv, ROOT, Serving, serveCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/engines.js';
import { createContact, createLocation } from '../helpers/factories.js';
import { Client, VERSION } from '../helpers/harness.js';

const ADMIN = 'fsync-test-admin-token-0123456789';
const FIXTURE = path.join(ROOT, 'test/crash/fixtures/failing-disk-server.mjs');
const EXIT_DISK_FAILED = 70;

const running: Serving[] = [];
beforeAll(() => buildDist(), 300_000);
afterEach(async () => {
  for (const serving of running.splice(0)) await serving.stop();
});

describe('a failed fsync (sqlite group commit)', () => {
  let dir: string;
  let database: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-fsync-'));
    database = await createTestDatabase('sqlite');
    env = {
      ...databaseEnv(database, path.join(dir, 'data')),
      PATH: process.env.PATH ?? '',
      PORT: '0',
      LOG_LEVEL: 'warn',
      SWITCHBOARD_ADMIN_TOKEN: ADMIN,
      BOOTSTRAP_DEMO: 'false',
      FAIL_FSYNC_AFTER: path.join(dir, 'fail-fsync-now'),
    };
  });
  afterAll(async () => {
    await database?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stops the process with a fatal log, acknowledging nothing, and a restart serves what the disk holds', async () => {
    const serving = new Serving(spawn(process.execPath, [FIXTURE], { cwd: dir, env }));
    running.push(serving);
    const [, url] = await serving.waitFor(/Switchboard listening on (http:\/\/\S+) /, 90_000);
    const admin = new Client(url as string, { authorization: `Bearer ${ADMIN}` });
    const access = {
      admin,
      client: (token: string) => new Client(url as string, { authorization: `Bearer ${token}`, version: VERSION }),
    };
    const location = await createLocation(access);
    const contact = await createContact(location);
    const write = (message: string) =>
      location.api.post(
        'conversations:add-an-inbound-message',
        '/conversations/messages/inbound',
        { type: 'SMS', contactId: contact.id, message },
        { raw: true },
      );
    const kept = await write('before the failure');
    expect(kept.status).toBe(200);

    fs.writeFileSync(env.FAIL_FSYNC_AFTER as string, '');
    // The write commits, its fsync fails: the process stops before it answers.
    await expect(write('covered by the failed fsync')).rejects.toThrow();
    expect(await serving.exited).toBe(EXIT_DISK_FAILED);
    expect(serving.stdout + serving.stderr).toMatch(/fsync of the database WAL failed: stopping now/);
    expect(serving.stdout).toMatch(/"level":60/); // pino's fatal

    // A restart (a sound disk) recovers: the acknowledged write is there.
    fs.rmSync(env.FAIL_FSYNC_AFTER as string);
    const restarted = serveCli(env, dir);
    running.push(restarted);
    const [, again] = await restarted.waitFor(/Switchboard listening on (http:\/\/\S+) /, 90_000);
    const api = new Client(again as string, { authorization: `Bearer ${location.token}`, version: VERSION });
    const read = await api.get('conversations:get-message', `/conversations/messages/${kept.body.messageId}`);
    expect(read.status).toBe(200);
    expect(read.body.message.body).toBe('before the failure');
  }, 120_000);
});
