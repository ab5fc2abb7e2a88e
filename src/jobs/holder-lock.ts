// Proof that a job's holder is alive, on PostgreSQL: each runner holds a session-level advisory lock keyed by its
// holder id, on a connection of its own, for as long as it runs. PostgreSQL releases the lock when that session ends,
// so when a server dies (kill -9, a crash: the kernel closes its socket) its lock goes with it, and another server may
// take over its running jobs at once instead of waiting out their lease (claimDueJobs reads pg_locks for this).
// A runner that is merely slow still holds its lock, so its jobs are never taken over before their lease runs out.
import type { DedicatedSession } from '../store/database.js';

/** Holder ids that hold an advisory lock start with this; a job held by any other (an older server) waits its lease. */
export const LOCKED_HOLDER_PREFIX = 'lock-';

export class HolderLock {
  private session: DedicatedSession | null = null;
  private taking: Promise<boolean> | null = null;

  constructor(
    private readonly open: () => Promise<DedicatedSession>,
    private readonly holder: string,
    /**
     * Told when the lock is lost while held (its connection ended: other servers may now take this runner's jobs),
     * and when it cannot be taken (once, until it is).
     */
    private readonly report: (message: string, error?: unknown) => void,
  ) {}

  /** Whether the last attempt to take the lock failed (reported once until one succeeds). */
  private failing = false;

  get held(): boolean {
    return this.session !== null;
  }

  /** Holds the lock, taking it again if it was lost; answers whether it is held. */
  async hold(): Promise<boolean> {
    if (this.session) return true;
    this.taking ??= this.take().finally(() => {
      this.taking = null;
    });
    return this.taking;
  }

  private async take(): Promise<boolean> {
    let session: DedicatedSession | null = null;
    try {
      session = await this.open();
      // The same key derivation as claimDueJobs uses to read the lock back from pg_locks.
      const [row] = await session.query<{ taken: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS taken',
        [this.holder],
      );
      if (!row?.taken) throw new Error('another session holds its key');
    } catch (error) {
      await session?.close();
      if (!this.failing)
        this.report('the job runner cannot take its holder lock; it claims no jobs until it can', error);
      this.failing = true;
      return false;
    }
    this.failing = false;
    const held = session;
    held.onEnd((error) => {
      if (this.session !== held) return;
      this.session = null;
      this.report(
        'the job runner lost its holder lock (its connection ended); other servers may run its jobs in flight again',
        error,
      );
    });
    this.session = held;
    return true;
  }

  /** Lets the lock go (the runner stopped): its jobs have ended, or may be taken over at once. */
  async release(): Promise<void> {
    await this.taking;
    const session = this.session;
    this.session = null;
    await session?.close();
  }
}
