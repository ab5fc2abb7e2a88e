// What repositories run on: the database itself or an open transaction.
import { type Kysely, PostgresAdapter, type Transaction } from 'kysely';
import type { Engine } from './database.js';
import type { Database } from './schema.js';

export type Executor = Kysely<Database> | Transaction<Database>;

/**
 * The engine under a handle, for repositories that are not told: read off the dialect's adapter, which a transaction
 * shares with its database (the store opens PostgreSQL with Kysely's PostgresDialect and SQLite with SqliteDialect).
 */
export function engineOf(db: Executor): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
