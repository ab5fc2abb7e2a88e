// The durable job table: enqueued in the same transaction as the write that causes the job, claimed
// atomically (FOR UPDATE SKIP LOCKED on PostgreSQL, so several servers never run one job twice).
import { sql } from 'kysely';
import type { Engine } from '../database.js';
import type { Executor } from '../executor.js';
import { jsonValue, oneOf } from '../records/columns.js';
import type { JobsTable } from '../schema.js';

export type JobStatus = 'pending' | 'running' | 'done' | 'dead' | 'cancelled';

/** A job as the runner reads it: its status checked, its payload parsed (each kind's module knows its shape). */
export interface JobRecord extends Omit<JobsTable, 'status' | 'payload'> {
  status: JobStatus;
  payload: unknown;
}
/** @deprecated the name before records: a job as read. */
export type JobRow = JobRecord;

const JOB_STATUSES: Record<JobStatus, true> = { pending: true, running: true, done: true, dead: true, cancelled: true };
const jobStatus = oneOf(JOB_STATUSES, 'jobs', 'status');

export function decodeJob(row: JobsTable): JobRecord {
  // A payload that is not JSON cannot be run: its kind's handler sees null and fails it, as any bad payload.
  return { ...row, status: jobStatus(row.status), payload: jsonValue(row.payload, () => null) };
}

export async function insertJob(db: Executor, job: JobRecord): Promise<void> {
  await db
    .insertInto('jobs')
    .values({ ...job, payload: JSON.stringify(job.payload) })
    .execute();
}

/**
 * The advisory locks held now in this database, as the bigint keys they were taken with: a lock on key k shows in
 * pg_locks with classid = its high 32 bits, objid = its low 32 bits, objsubid = 1. Read once per statement.
 */
const heldAdvisoryKeys = sql`(SELECT (classid::int8 << 32) | objid::int8 FROM pg_locks
  WHERE locktype = 'advisory' AND objsubid = 1 AND granted
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))`;

/**
 * Claims up to `limit` jobs that are due, including running jobs whose lease ran out (a worker died mid-job), for
 * the runner `holder`. The claim bumps `attempts` and sets a lease, in one statement. Jobs of the locations in
 * `busyLocations` are left to others (or to later), so one location's slow receivers cannot fill every slot.
 *
 * With `lockedHolders` (PostgreSQL, see src/jobs/holder-lock.ts) the claimer must hold its own holder lock, or it
 * claims nothing; and a running job whose holder took a lock that no session holds any more (its server died) is
 * claimed at once, its lease notwithstanding. A hash collision can only make a dead holder look alive (its jobs then
 * wait out their lease), never a live one dead: a live holder's key is held.
 */
export async function claimDueJobs(
  db: Executor,
  engine: Engine,
  claim: {
    now: number;
    leaseMs: number;
    limit: number;
    holder: string;
    busyLocations?: string[];
    /** The prefix of holder ids that hold an advisory lock while they run (PostgreSQL only). */
    lockedHolders?: string;
  },
) {
  const { now, leaseMs, limit, holder, busyLocations = [], lockedHolders } = claim;
  const holderGone = lockedHolders
    ? sql<boolean>`(locked_by LIKE ${`${lockedHolders}%`} AND hashtextextended(locked_by, 0) NOT IN ${heldAdvisoryKeys})`
    : sql<boolean>`false`;
  let due = db
    .selectFrom('jobs')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', now)]),
        eb.and([eb('status', '=', 'running'), eb.or([eb('locked_until', '<', now), holderGone])]),
      ]),
    )
    .orderBy('run_at')
    .limit(limit);
  if (busyLocations.length > 0) due = due.where('location_id', 'not in', busyLocations);
  if (lockedHolders) due = due.where(sql<boolean>`hashtextextended(${holder}, 0) IN ${heldAdvisoryKeys}`);
  if (engine === 'postgres') due = due.forUpdate().skipLocked();
  return db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'running',
      locked_until: now + leaseMs,
      locked_by: holder,
      attempts: eb('attempts', '+', 1),
      updated_at: now,
    }))
    .where('id', 'in', due)
    .returningAll()
    .execute()
    .then((rows) => rows.map(decodeJob));
}

/** Extends the lease of every job `holder` is running; answers how many it still holds. */
export async function renewLeases(db: Executor, holder: string, lockedUntil: number): Promise<number> {
  const result = await db
    .updateTable('jobs')
    .set({ locked_until: lockedUntil })
    .where('status', '=', 'running')
    .where('locked_by', '=', holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Makes every running job due again: on SQLite, whose database is one server's alone, the jobs a starting runner
 * finds running were held by this server before it stopped or crashed, so nobody is running them any more.
 */
export async function releaseOrphanedJobs(db: Executor): Promise<number> {
  const result = await db
    .updateTable('jobs')
    .set({ locked_until: 0 })
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Which job's lease `holder` holds: a job is finished only by its current holder. */
export interface Lease {
  id: string;
  holder: string;
}

export async function finishJob(db: Executor, lease: Lease, status: JobStatus, now: number, error?: string) {
  await db
    .updateTable('jobs')
    .set({ status, locked_until: null, locked_by: null, updated_at: now, last_error: error ?? null })
    .where('id', '=', lease.id)
    .where('locked_by', '=', lease.holder)
    .execute();
}

export async function retryJob(db: Executor, lease: Lease, runAt: number, now: number, error: string) {
  await db
    .updateTable('jobs')
    .set({ status: 'pending', run_at: runAt, locked_until: null, locked_by: null, updated_at: now, last_error: error })
    .where('id', '=', lease.id)
    .where('locked_by', '=', lease.holder)
    .execute();
}

/** Runs the job again at `runAt` and gives back the attempt its claim took. */
export async function postponeJob(db: Executor, lease: Lease, runAt: number, now: number, note: string) {
  await db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'pending',
      run_at: runAt,
      locked_until: null,
      locked_by: null,
      updated_at: now,
      last_error: note,
      attempts: eb('attempts', '-', 1),
    }))
    .where('id', '=', lease.id)
    .where('locked_by', '=', lease.holder)
    .execute();
}

/** Cancels the pending jobs of a subject (a scheduled message); answers how many were cancelled. */
export async function cancelPendingJobs(db: Executor, subjectId: string, now: number): Promise<number> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'cancelled', updated_at: now })
    .where('subject_id', '=', subjectId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Whether a delivery of this message was cancelled: its message row is gone, the cancelled job remains. Email
 * deliveries name the email as their subject, so the payload's messageId is read too (only on this rare path).
 */
export async function wasDeliveryCancelled(
  db: Executor,
  engine: Engine,
  kind: string,
  locationId: string,
  messageId: string,
): Promise<boolean> {
  const payloadMessageId =
    engine === 'postgres'
      ? sql<string>`(payload::jsonb ->> 'messageId')`
      : sql<string>`json_extract(payload, '$.messageId')`;
  const row = await db
    .selectFrom('jobs')
    .select('id')
    .where('status', '=', 'cancelled')
    .where('kind', '=', kind)
    .where('location_id', '=', locationId)
    .where((eb) => eb.or([eb('subject_id', '=', messageId), eb(payloadMessageId, '=', messageId)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function nextRunAt(db: Executor): Promise<number | undefined> {
  const row = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.min('run_at').as('next'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.next === null || row?.next === undefined ? undefined : Number(row.next);
}

export interface JobQueueDepth {
  kind: string;
  pending: number;
  due: number;
  /** run_at of the longest-waiting due job; null when none is due. */
  oldestDueAt: number | null;
}

/** The pending jobs by kind, for metrics: one pass over the `pending` range of the jobs_due index. */
export async function jobQueueDepths(db: Executor, now: number): Promise<JobQueueDepth[]> {
  const rows = await db
    .selectFrom('jobs')
    .select((eb) => [
      'kind',
      eb.fn.countAll<number>().as('pending'),
      eb.fn.sum<number>(eb.case().when('run_at', '<=', now).then(1).else(0).end()).as('due'),
      eb.fn.min<number | null>(eb.case().when('run_at', '<=', now).then(eb.ref('run_at')).end()).as('oldestDueAt'),
    ])
    .where('status', '=', 'pending')
    .groupBy('kind')
    .execute();
  return rows.map((row) => ({
    kind: row.kind,
    pending: Number(row.pending),
    due: Number(row.due),
    oldestDueAt: row.oldestDueAt === null ? null : Number(row.oldestDueAt),
  }));
}

/** Statuses a job never leaves: housekeeping may delete it once it is old enough. */
export const FINISHED_JOB_STATUSES = ['done', 'dead', 'cancelled'] as const satisfies readonly JobStatus[];

/**
 * Deletes up to `limit` finished jobs that were due and last changed before `before`; answers how many. The `run_at`
 * bound walks the jobs_due index (a finished job was due before it finished), `updated_at` keeps one retried for days.
 */
export async function deleteFinishedJobs(db: Executor, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('jobs')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('jobs')
        .select('id')
        .where('status', 'in', FINISHED_JOB_STATUSES)
        .where('run_at', '<', before)
        .where('updated_at', '<', before)
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
