// OAuth apps and rate limits: apps get client credentials and redirect URIs; authorisation codes, grants (one per
// installation an app is authorised for) with their rotating refresh tokens; per-location rate-limit settings.
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';

  // The client id is `<appId>-<suffix>`, as HighLevel's are; the secret is kept as a SHA-256 digest.
  await db.schema.alterTable('apps').addColumn('client_id', 'text').execute();
  await db.schema.alterTable('apps').addColumn('client_secret_hash', 'text').execute();
  await db.schema
    .alterTable('apps')
    .addColumn('redirect_uris', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  const existing = await sql<{ id: string }>`select id from apps`.execute(db);
  for (const { id } of existing.rows) {
    await sql`update apps set client_id = ${`${id}-${clientSuffix()}`} where id = ${id}`.execute(db);
  }
  await db.schema.createIndex('apps_client_id').on('apps').columns(['client_id']).unique().execute();

  // A Company authorisation covers the company's locations.
  await db.schema.createIndex('locations_company').on('locations').columns(['company_id']).execute();

  // What an app was authorised for (a location, or a company): access tokens name their grant, so revoking it
  // (a refresh token presented twice, the app deleted) ends every token made from it.
  await db.schema
    .createTable('oauth_grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('user_type', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text', (c) => c.references('locations.id').onDelete('cascade'))
    .addColumn('company_id', 'text')
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('revoked_at', bigint)
    .execute();
  await db.schema.createIndex('oauth_grants_app').on('oauth_grants').columns(['app_id', 'company_id']).execute();

  // Short-lived, single-use authorisation codes, stored as digests.
  await db.schema
    .createTable('oauth_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('user_type', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text', (c) => c.references('locations.id').onDelete('cascade'))
    .addColumn('company_id', 'text')
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('expires_at', bigint, (c) => c.notNull())
    .addColumn('used_at', bigint)
    // The grant the code was exchanged for: a second exchange revokes it.
    .addColumn('grant_id', 'text')
    .execute();
  await db.schema.createIndex('oauth_codes_expiry').on('oauth_codes').columns(['expires_at']).execute();

  // Refresh tokens rotate: each is used once, and its successor belongs to the same grant.
  await db.schema
    .createTable('oauth_refresh_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('grant_id', 'text', (c) => c.notNull().references('oauth_grants.id').onDelete('cascade'))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('expires_at', bigint, (c) => c.notNull())
    .addColumn('used_at', bigint)
    .execute();
  await db.schema.createIndex('oauth_refresh_tokens_grant').on('oauth_refresh_tokens').columns(['grant_id']).execute();

  // A location's own rate limits; a null field takes the configured default.
  await db.schema
    .createTable('location_rate_limits')
    .addColumn('location_id', 'text', (c) => c.primaryKey().references('locations.id').onDelete('cascade'))
    .addColumn('enabled', 'integer')
    .addColumn('burst_max', 'integer')
    .addColumn('interval_ms', 'integer')
    .addColumn('daily_max', 'integer')
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
}

/** Eight lowercase base-36 characters, like the suffix of HighLevel's client ids. */
function clientSuffix(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  return [...randomBytes(8)].map((byte) => alphabet[byte % 36]).join('');
}
