// The databases every integration test runs against: SQLite always, PostgreSQL when TEST_POSTGRES_URL is set.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { DatabaseConfig } from '../../src/config.js';

export type EngineName = 'sqlite' | 'postgres';

export const ENGINES: EngineName[] = process.env.TEST_POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/** A fresh, empty database: a temporary SQLite file, or a new PostgreSQL schema of this run's database. */
export async function createTestDatabase(engine: EngineName): Promise<TestDatabase> {
  const suffix = randomBytes(6).toString('hex');
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-test-'));
    return {
      config: { engine: 'sqlite', file: path.join(dir, 'test.db'), synchronous: 'GROUP' },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  // This run's own database, made by the global setup (test/helpers/global-setup.ts).
  const url = inject('postgresUrl');
  if (!url) throw new Error('PostgreSQL tests need TEST_POSTGRES_URL');
  const schema = `test_${suffix}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  return {
    config: { engine: 'postgres', url, schema, poolSize: 5 },
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}
