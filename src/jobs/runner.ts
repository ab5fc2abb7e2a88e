// The job runner: one handler per job kind, each with its retry policy and a dead-letter step.
// Jobs are claimed atomically, so a job runs once even with several servers on one PostgreSQL database; a claim's
// lease is renewed while its job runs, and only the claim's holder records how the job ended.
import type { Clock } from '../domain/clock.js';
import { newId } from '../domain/ids.js';
import type { JobOutcome } from '../metrics/registry.js';
import type { Store } from '../store/database.js';
import {
  claimDueJobs,
  finishJob,
  insertJob,
  type JobRow,
  postponeJob,
  releaseOrphanedJobs,
  renewLeases,
  retryJob,
} from '../store/repositories/jobs.js';
import type { Tx } from '../store/unit-of-work.js';
import { HolderLock, LOCKED_HOLDER_PREFIX } from './holder-lock.js';

export interface JobKind<Payload> {
  kind: string;
  maxAttempts: number;
  /** Delay before attempt `attempt + 1` after attempt `attempt` failed. */
  backoffMs(attempt: number): number;
  run(payload: Payload, job: JobRow): Promise<void>;
  /** Called once the attempts are spent: record the failure where users will see it. */
  onDead(payload: Payload, job: JobRow, error: string): Promise<void>;
}

export interface EnqueueOptions {
  locationId: string;
  subjectId?: string;
  runAt: number;
}

/** Exponential backoff with jitter, capped; whole milliseconds, as run_at is an integer column. */
export function exponentialBackoff(baseMs: number, capMs: number) {
  return (attempt: number) =>
    Math.round(Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1)) * (0.5 + Math.random() / 2));
}

/** Thrown by a job to run it again later without spending an attempt (a sandbox fault delaying a webhook). */
export class PostponeJob extends Error {
  constructor(readonly delayMs: number) {
    super(POSTPONED);
  }
}

/** The last_error of a postponed job, so it is postponed once. */
export const POSTPONED = 'postponed by a sandbox fault';

export interface RunnerOptions {
  /** How often the loop looks for due jobs when nothing wakes it. */
  pollMs: number;
  /** How long a claim holds a job; renewed while the job runs, so it only bounds how soon a dead runner's jobs rerun. */
  leaseMs: number;
  /** Jobs this runner runs at once. */
  concurrency: number;
  /** Of which at most this many for one location, so one location's hanging receivers cannot take every slot. */
  perLocation: number;
}

export class JobRunner {
  private readonly kinds = new Map<string, JobKind<unknown>>();
  /** This runner's name on the jobs it holds: a job is finished only by the runner whose claim is current. */
  readonly holder: string;
  /**
   * On PostgreSQL, the advisory lock that proves this runner alive to the others (holder-lock.ts): it claims nothing
   * without it, and its jobs are taken over at once once it is gone.
   */
  private readonly lock: HolderLock | null;
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = true;
  /** Jobs that have ended since start: tells the loop a slot freed while it was claiming. */
  private ended = 0;
  private rerun = false;
  /** Wakes the loop while it waits for a slot: a nudge or a poll may have made jobs due. */
  private wake: (() => void) | null = null;
  private readonly inFlight = new Map<string, { location: string; done: Promise<void> }>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: RunnerOptions,
    /** Told what became of each run (metrics). */
    private readonly observe: (kind: string, outcome: JobOutcome) => void = () => {},
  ) {
    const session = store.session;
    this.holder = session ? `${LOCKED_HOLDER_PREFIX}${newId()}` : newId();
    this.lock = session
      ? new HolderLock(session, this.holder, (message, error) => this.onLockTrouble(message, error))
      : null;
  }

  /** Told when the holder lock is lost or cannot be taken (the server logs it): this runner claims nothing meanwhile. */
  onLockTrouble: (message: string, error?: unknown) => void = () => {};

  register<P>(kind: JobKind<P>): void {
    this.kinds.set(kind.kind, kind as JobKind<unknown>);
  }

  /** The kinds of job this runner runs. */
  get kindNames(): string[] {
    return [...this.kinds.keys()];
  }

  /**
   * Adds a job in the caller's unit of work: it exists exactly when the write that caused it commits, and the runner
   * looks for it once that commit is durable.
   */
  async enqueue<P>(tx: Tx, kind: JobKind<P>, payload: P, options: EnqueueOptions): Promise<string> {
    const now = this.clock.now();
    const id = newId();
    tx.afterCommit(this.nudgeAfterCommit);
    await insertJob(tx.db, {
      id,
      kind: kind.kind,
      location_id: options.locationId,
      subject_id: options.subjectId ?? null,
      payload,
      status: 'pending',
      run_at: options.runAt,
      attempts: 0,
      max_attempts: kind.maxAttempts,
      locked_until: null,
      locked_by: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    });
    return id;
  }

  /**
   * Runs every job due now, until none is left; answers how many ran. Safe to call concurrently. Jobs run in a pool:
   * a slot that frees is filled at once, so no job waits for another's I/O.
   */
  async runDue(): Promise<number> {
    if (this.running) {
      this.rerun = true;
      this.wake?.();
      return this.running;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async loop(): Promise<number> {
    let total = 0;
    for (;;) {
      this.rerun = false;
      const endedBefore = this.ended;
      total += await this.fill();
      // A job that ended while fill() was claiming freed a slot (or its location's share) that claim left out: fill
      // again, or a due job of that location would wait for the next poll (or, with no worker, for ever).
      if (this.rerun || this.ended !== endedBefore) continue;
      if (this.inFlight.size === 0) return total;
      // Every slot is taken or nothing is due: wait for a job to end, or for a nudge or poll to say more may be due.
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        for (const { done } of this.inFlight.values()) void done.then(resolve, resolve);
      });
      this.wake = null;
    }
  }

  /** Claims due jobs into the free slots and starts them; answers how many it started. */
  private async fill(): Promise<number> {
    let started = 0;
    for (;;) {
      const load = new Map<string, number>();
      for (const { location } of this.inFlight.values()) load.set(location, (load.get(location) ?? 0) + 1);
      const { concurrency, perLocation, leaseMs } = this.options;
      const busy = [...load].filter(([, n]) => n >= perLocation).map(([location]) => location);
      const fullest = Math.max(0, ...[...load.values()].filter((n) => n < perLocation));
      // Small enough that no location, however many of its jobs this claim returns, goes over its share.
      const limit = Math.min(concurrency - this.inFlight.size, perLocation - fullest);
      if (limit <= 0) return started;
      // Without its lock this runner claims nothing (the claim checks it too): others could take its jobs at once.
      if (this.lock && !(await this.lock.hold())) return started;
      const jobs = await claimDueJobs(this.store.db, this.store.engine, {
        now: this.clock.now(),
        leaseMs,
        limit,
        holder: this.holder,
        busyLocations: busy,
        ...(this.lock ? { lockedHolders: LOCKED_HOLDER_PREFIX } : {}),
      });
      if (jobs.length === 0) return started;
      // A job may have been committed but not yet be on disk (SQLite group commit): none is run before it is.
      await this.store.durable();
      this.startHeartbeat();
      for (const job of jobs) {
        const done = this.execute(job).finally(() => {
          this.ended += 1;
          this.inFlight.delete(job.id);
          if (this.inFlight.size === 0) this.stopHeartbeat();
        });
        this.inFlight.set(job.id, { location: job.location_id, done });
      }
      started += jobs.length;
      if (jobs.length < limit) return started;
    }
  }

  /** Renews the leases of the jobs this runner holds, well within the lease, for as long as any runs. */
  private startHeartbeat(): void {
    if (this.heartbeat) return;
    const every = Math.max(100, Math.floor(this.options.leaseMs / 3));
    this.heartbeat = setInterval(() => {
      void renewLeases(this.store.db, this.holder, this.clock.now() + this.options.leaseMs).catch(() => undefined);
    }, every);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  /** Asks the loop to look for due jobs now (after a commit that enqueued one). */
  nudge(): void {
    if (!this.stopped) void this.runDue().catch(() => undefined);
  }

  /** One function, so a unit that enqueues many jobs nudges once. */
  private readonly nudgeAfterCommit = () => this.nudge();

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    // A SQLite database is one server's alone: a job it finds running was this server's before a crash, and can run
    // again now rather than once its lease runs out.
    const orphans = this.store.engine === 'sqlite' ? releaseOrphanedJobs(this.store.db) : Promise.resolve(0);
    const tick = () => {
      // Not awaited: the loop runs for as long as jobs do, and a poll only wakes it.
      void this.runDue().catch(() => undefined);
      if (!this.stopped) this.timer = setTimeout(tick, this.options.pollMs);
    };
    void orphans.catch(() => undefined).then(tick);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    await Promise.all([...this.inFlight.values()].map(({ done }) => done.catch(() => undefined)));
    // Nothing of this runner's is running now; runDue() after stop() takes the lock again.
    await this.lock?.release();
  }

  private async execute(job: JobRow): Promise<void> {
    const kind = this.kinds.get(job.kind);
    const now = () => this.clock.now();
    const lease = { id: job.id, holder: this.holder };
    if (!kind) {
      await finishJob(this.store.db, lease, 'dead', now(), `no handler for job kind ${job.kind}`);
      this.observe(job.kind, 'dead');
      return;
    }
    const payload = job.payload;
    try {
      await kind.run(payload, job);
      await finishJob(this.store.db, lease, 'done', now());
      this.observe(job.kind, 'done');
    } catch (error) {
      if (error instanceof PostponeJob) {
        await postponeJob(this.store.db, lease, now() + error.delayMs, now(), POSTPONED);
        this.observe(job.kind, 'postponed');
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      if (job.attempts >= job.max_attempts) {
        // Dead-lettered even when recording the failure fails: a job left running would be re-run past its limit.
        try {
          await kind.onDead(payload, job, message);
        } finally {
          await finishJob(this.store.db, lease, 'dead', now(), message);
          this.observe(job.kind, 'dead');
        }
      } else {
        await retryJob(this.store.db, lease, now() + kind.backoffMs(job.attempts), now(), message);
        this.observe(job.kind, 'retried');
      }
    }
  }
}
