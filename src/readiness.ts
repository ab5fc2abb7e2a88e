// Readiness (/readyz): whether this server can serve now. Its database answers, has run every migration this server
// knows, and its blob store can be read and written. The answer names what failed; why (which may carry addresses or
// driver detail) goes to the log only.

import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { BlobStore } from './files/port.js';
import type { Store } from './store/database.js';
import { pendingMigrations } from './store/migrator.js';

/** Longest a check may take: a load balancer's probe should not hang on an unreachable peer. */
const CHECK_TIMEOUT_MS = 5_000;

export type CheckName = 'database' | 'migrations' | 'blobStore';
export type CheckResult = { status: 'ok' } | { status: 'failing'; reason: string };

export type Readiness =
  | { ready: boolean; checks: Record<CheckName, CheckResult> }
  /** The server is shutting down: a load balancer should send it nothing more, whatever its checks would say. */
  | { ready: false; stopping: true };

class CheckFailed extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckFailed(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export class ReadinessCheck {
  private stopping = false;

  constructor(
    private readonly store: Store,
    private readonly blobs: BlobStore,
  ) {}

  /** From now on the server is not ready: it is shutting down (server.ts, first thing on close). */
  stop(): void {
    this.stopping = true;
  }

  async check(log: FastifyBaseLogger): Promise<Readiness> {
    if (this.stopping) return { ready: false, stopping: true };
    const run = async (name: CheckName, reason: string, work: () => Promise<void>): Promise<CheckResult> => {
      try {
        await withTimeout(work());
        return { status: 'ok' };
      } catch (error) {
        if (error instanceof CheckFailed) return { status: 'failing', reason: error.reason };
        log.warn({ err: error, check: name }, `readiness: ${name} ${reason}`);
        return { status: 'failing', reason };
      }
    };
    const [database, blobStore] = await Promise.all([
      run('database', 'did not answer', async () => {
        await sql`select 1`.execute(this.store.db);
      }),
      run('blobStore', 'could not be reached, read and written', () => this.blobs.check()),
    ]);
    const migrations: CheckResult =
      database.status === 'ok'
        ? await run('migrations', 'could not be read', async () => {
            const pending = await pendingMigrations(this.store.db);
            if (pending.length > 0) throw new CheckFailed(`not applied: ${pending.join(', ')}`);
          })
        : { status: 'failing', reason: 'not checked: the database did not answer' };
    const checks = { database, migrations, blobStore };
    return { ready: Object.values(checks).every((check) => check.status === 'ok'), checks };
  }
}
