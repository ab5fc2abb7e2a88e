// The job runner: one handler per job kind, each with its retry policy and a dead-letter step.
// Jobs are claimed atomically, so a job runs once even with several servers on one PostgreSQL database.
import type { Clock } from '../domain/clock.js';
import { newId } from '../domain/ids.js';
import type { JobOutcome } from '../metrics/registry.js';
import type { Store } from '../store/database.js';
import { claimDueJobs, finishJob, insertJob, type JobRow, postponeJob, retryJob } from '../store/repositories/jobs.js';
import type { Tx } from '../store/unit-of-work.js';

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

const LEASE_MS = 60_000;
const BATCH = 20;

export class JobRunner {
  private readonly kinds = new Map<string, JobKind<unknown>>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = true;
  private rerun = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly pollMs: number,
    /** Told what became of each run (metrics). */
    private readonly observe: (kind: string, outcome: JobOutcome) => void = () => {},
  ) {}

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
      payload: JSON.stringify(payload),
      status: 'pending',
      run_at: options.runAt,
      attempts: 0,
      max_attempts: kind.maxAttempts,
      locked_until: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    });
    return id;
  }

  /** Runs every job due now, until none is left; answers how many ran. Safe to call concurrently. */
  async runDue(): Promise<number> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      do {
        this.rerun = false;
        for (;;) {
          const jobs = await claimDueJobs(this.store.db, this.store.engine, this.clock.now(), LEASE_MS, BATCH);
          if (jobs.length === 0) break;
          // A job may have been committed but not yet be on disk (SQLite group commit): none is run before it is.
          await this.store.durable();
          await Promise.all(jobs.map((job) => this.execute(job)));
          total += jobs.length;
        }
      } while (this.rerun);
      return total;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
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
    const tick = async () => {
      try {
        await this.runDue();
      } catch {
        // A failed poll (database briefly unavailable) is retried on the next tick.
      }
      if (!this.stopped) this.timer = setTimeout(tick, this.pollMs);
    };
    void tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private async execute(job: JobRow): Promise<void> {
    const kind = this.kinds.get(job.kind);
    const now = () => this.clock.now();
    if (!kind) {
      await finishJob(this.store.db, job.id, 'dead', now(), `no handler for job kind ${job.kind}`);
      this.observe(job.kind, 'dead');
      return;
    }
    const payload = JSON.parse(job.payload) as unknown;
    try {
      await kind.run(payload, job);
      await finishJob(this.store.db, job.id, 'done', now());
      this.observe(job.kind, 'done');
    } catch (error) {
      if (error instanceof PostponeJob) {
        await postponeJob(this.store.db, job.id, now() + error.delayMs, now(), POSTPONED);
        this.observe(job.kind, 'postponed');
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      if (job.attempts >= job.max_attempts) {
        // Dead-lettered even when recording the failure fails: a job left running would be re-run past its limit.
        try {
          await kind.onDead(payload, job, message);
        } finally {
          await finishJob(this.store.db, job.id, 'dead', now(), message);
          this.observe(job.kind, 'dead');
        }
      } else {
        await retryJob(this.store.db, job.id, now() + kind.backoffMs(job.attempts), now(), message);
        this.observe(job.kind, 'retried');
      }
    }
  }
}
