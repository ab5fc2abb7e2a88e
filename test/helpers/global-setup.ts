// Once per run: with TEST_POSTGRES_URL set, create a database of this run's own (each test then works in a
// schema of it) and drop it at the end, so runs never see each other's tables or leftovers.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
  }
}

async function admin<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) {
    project.provide('postgresUrl', null);
    return;
  }
  const name = `switchboard_test_${randomBytes(5).toString('hex')}`;
  await admin(url, (client) => client.query(`CREATE DATABASE ${name}`));
  const runUrl = new URL(url);
  runUrl.pathname = `/${name}`;
  await admin(runUrl.toString(), (client) =>
    client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS unaccent'),
  );
  project.provide('postgresUrl', runUrl.toString());
  return async () => {
    await admin(url, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
}
