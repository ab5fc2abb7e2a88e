// Moving a virtual clock (POST /admin/v1/clock): every job and timer that falls due on the way runs, in due order and
// with the clock at its due time, before the move answers, so a test can advance an hour and assert on the next line.
import type { JobRunner } from '../../jobs/runner.js';
import type { Store } from '../../store/database.js';
import { nextRunAt } from '../../store/repositories/jobs.js';
import { type Clock, VirtualClock } from '../clock.js';
import { DomainError } from '../errors.js';

export interface ClockStatus {
  mode: 'real' | 'virtual';
  now: string;
}

/** Exactly one of the two. */
export interface ClockMove {
  advanceMs?: number;
  at?: string;
}

/** A guard against a job that re-enqueues itself due at once, forever. */
const MAX_STEPS = 100_000;

export class ClockControl {
  private moving: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: { clock: Clock; store: Store; jobs: JobRunner }) {}

  status(): ClockStatus {
    const { clock } = this.deps;
    return { mode: clock instanceof VirtualClock ? 'virtual' : 'real', now: new Date(clock.now()).toISOString() };
  }

  /** Moves the clock; moves are taken one at a time, in the order they arrive. */
  move(input: ClockMove): Promise<ClockStatus & { jobsRun: number }> {
    const run = this.moving.then(() => this.moveNow(input));
    this.moving = run.catch(() => undefined);
    return run;
  }

  private async moveNow(input: ClockMove): Promise<ClockStatus & { jobsRun: number }> {
    const { clock, store, jobs } = this.deps;
    if (!(clock instanceof VirtualClock)) {
      throw new DomainError('CONFLICT', 'The clock is real and cannot be moved: start Switchboard with CLOCK=virtual');
    }
    if ((input.at === undefined) === (input.advanceMs === undefined)) {
      throw new DomainError('VALIDATION_FAILED', ['exactly one of advanceMs and at must be given']);
    }
    const target = input.at !== undefined ? Date.parse(input.at) : clock.now() + (input.advanceMs as number);
    if (Number.isNaN(target)) throw new DomainError('VALIDATION_FAILED', ['at must be a valid ISO 8601 date string']);
    if (target < clock.now()) {
      const now = new Date(clock.now()).toISOString();
      throw new DomainError('VALIDATION_FAILED', [
        `at must not be earlier than the clock's time (${now}): it only moves forward`,
      ]);
    }
    let jobsRun = await jobs.runDue();
    for (let step = 0; step < MAX_STEPS; step++) {
      const dueJob = await nextRunAt(store.db);
      const dueTimer = clock.nextTimerAt();
      const next = Math.min(dueJob ?? Number.POSITIVE_INFINITY, dueTimer ?? Number.POSITIVE_INFINITY);
      if (next > target) break;
      clock.moveTo(Math.max(next, clock.now()));
      jobsRun += await jobs.runDue();
    }
    clock.moveTo(target);
    jobsRun += await jobs.runDue();
    return { ...this.status(), jobsRun };
  }
}
