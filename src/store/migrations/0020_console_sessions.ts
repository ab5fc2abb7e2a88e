// Console sessions: a browser signed in with the admin token or a location's token holds an HttpOnly cookie whose
// digest keys a row here, so signing out (or the token's revocation) ends the session on every server at once.
import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('console_sessions')
    // SHA-256 of the cookie's secret: a database read never yields a usable cookie.
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    // The digest of the token signed in with: the admin token's (changing it ends admin sessions) or the api token's
    // (revoking it ends the location's sessions).
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text', (c) => c.references('locations.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('expires_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('console_sessions_expiry').on('console_sessions').columns(['expires_at']).execute();
}
