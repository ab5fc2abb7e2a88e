// What repositories run on: the database itself or an open transaction.
import { type DialectAdapter, type Kysely, sql, type Transaction } from 'kysely';
import type { Engine } from './database.js';
import type { Database } from './schema.js';

export type Executor = Kysely<Database> | Transaction<Database>;

// A transaction shares its database's adapter, so the answer is worked out once per database.
const engines = new WeakMap<DialectAdapter, Engine>();

/** The engine under a handle, for repositories that are not told: SQLite numbers no placeholders, PostgreSQL does. */
export function engineOf(db: Executor): Engine {
  const adapter = db.getExecutor().adapter;
  let engine = engines.get(adapter);
  if (!engine) {
    engine = sql`select ${0}`.compile(db).sql.includes('$1') ? 'postgres' : 'sqlite';
    engines.set(adapter, engine);
  }
  return engine;
}
