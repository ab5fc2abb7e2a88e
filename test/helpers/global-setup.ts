// Once per run: make sure PostgreSQL (when configured) has the extension every test schema's migration expects.
import pg from 'pg';

export default async function setup() {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  } finally {
    await client.end();
  }
}
