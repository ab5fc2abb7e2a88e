// The world of a crash test: a database and data directory of its own, real server processes started on them (and
// stopped after each test, whatever it did to them), and the environment they share.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { buildDist, databaseEnv, type Served, type Serving, startServed } from './cli.js';
import { createTestDatabase, type EngineName, type TestDatabase } from './engines.js';

/** dist/ is built once per test file's process, before its first world. */
let built = false;

export const CRASH_ADMIN = 'crash-test-admin-token-0123456789';

export interface CrashWorld {
  /** Starts one more server process on the world's database. */
  start(): Promise<Served>;
  /** The environment the world's processes share (set once its beforeAll has run): for CLI runs and direct reads. */
  readonly env: Record<string, string>;
  /** The world's working directory. */
  readonly dir: string;
}

/** Call inside a describe: sets up the world before its tests and removes it after them. */
export function crashWorld(engine: EngineName, extraEnv: Record<string, string> = {}): CrashWorld {
  const running: Serving[] = [];
  let dir: string;
  let database: TestDatabase;
  let env: Record<string, string>;
  beforeAll(() => {
    if (built) return;
    buildDist();
    built = true;
  }, 300_000);
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-crash-'));
    database = await createTestDatabase(engine);
    env = {
      ...databaseEnv(database, path.join(dir, 'data')),
      PORT: '0',
      SWITCHBOARD_ADMIN_TOKEN: CRASH_ADMIN,
      BOOTSTRAP_DEMO: 'false',
      RATE_LIMIT_ENABLED: 'false',
      ...extraEnv,
    };
  });
  afterEach(async () => {
    for (const serving of running.splice(0)) await serving.stop();
  });
  afterAll(async () => {
    await database?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    async start() {
      const served = await startServed(env, dir, CRASH_ADMIN);
      running.push(served.serving);
      return served;
    },
    get env() {
      return env;
    },
    get dir() {
      return dir;
    },
  };
}
