// Console sessions (src/http/console-session.ts), keyed by the digest of the cookie's secret.
import type { Executor } from '../executor.js';
import type { ConsoleSessionsTable } from '../schema.js';

export type ConsoleSessionRow = ConsoleSessionsTable;

export async function insertConsoleSession(db: Executor, row: ConsoleSessionRow): Promise<void> {
  await db.insertInto('console_sessions').values(row).execute();
}

export async function findConsoleSession(db: Executor, idHash: string, now: number) {
  return db
    .selectFrom('console_sessions')
    .selectAll()
    .where('id_hash', '=', idHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function deleteConsoleSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute();
}

/** Forgets sessions that ended on their own: run at each sign-in, so the table holds live sessions only. */
export async function deleteExpiredConsoleSessions(db: Executor, now: number): Promise<void> {
  await db.deleteFrom('console_sessions').where('expires_at', '<=', now).execute();
}
