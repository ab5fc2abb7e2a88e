// The readings taken at each scrape: the job queue (one grouped query over the pending jobs), the database's
// connections, and how far the realtime streams are behind. Cheap enough to run on every scrape.
import type { Clock } from '../domain/clock.js';
import type { JobRunner } from '../jobs/runner.js';
import type { RealtimeHub } from '../realtime/hub.js';
import type { Store } from '../store/database.js';
import { jobQueueDepths } from '../store/repositories/jobs.js';
import type { Metrics } from './registry.js';

export function registerProbes(
  metrics: Metrics,
  deps: { store: Store; clock: Clock; jobs: JobRunner; realtime: RealtimeHub },
): void {
  const { store, clock, jobs, realtime } = deps;
  const pending = metrics.gauge({
    name: 'switchboard_jobs_pending',
    help: 'Jobs waiting to run, due or not (scheduled messages wait here), by kind',
    labelNames: ['kind'],
  });
  const due = metrics.gauge({
    name: 'switchboard_jobs_due',
    help: 'Jobs whose time has come and that no worker has taken yet, by kind',
    labelNames: ['kind'],
  });
  const oldestDue = metrics.gauge({
    name: 'switchboard_jobs_oldest_due_age_seconds',
    help: 'How long the longest-waiting due job has been due, by kind (0: none is due)',
    labelNames: ['kind'],
  });
  metrics.probe(async () => {
    const now = clock.now();
    const depths = await jobQueueDepths(store.db, now);
    // Every kind this server runs is shown, at 0 when none waits; a kind no longer run still shows while jobs of it wait.
    for (const kind of jobs.kindNames) for (const gauge of [pending, due, oldestDue]) gauge.set({ kind }, 0);
    for (const depth of depths) {
      pending.set({ kind: depth.kind }, depth.pending);
      due.set({ kind: depth.kind }, depth.due);
      oldestDue.set({ kind: depth.kind }, depth.oldestDueAt === null ? 0 : Math.max(0, now - depth.oldestDueAt) / 1000);
    }
  });

  if (store.engine === 'postgres') {
    const pool = metrics.gauge({
      name: 'switchboard_db_pool_connections',
      help: 'PostgreSQL pool connections by state: total (open), idle, waiting (queries queued for a connection)',
      labelNames: ['state'],
    });
    metrics.probe(() => {
      const usage = store.usage();
      if (usage.engine !== 'postgres') return;
      pool.set({ state: 'total' }, usage.total);
      pool.set({ state: 'idle' }, usage.idle);
      pool.set({ state: 'waiting' }, usage.waiting);
    });
  } else {
    const queued = metrics.gauge({
      name: 'switchboard_sqlite_units_queued',
      help: 'SQLite units of work waiting for the next batch commit (one connection does all writing)',
    });
    metrics.probe(() => {
      const usage = store.usage();
      if (usage.engine === 'sqlite') queued.set(usage.queuedUnits);
    });
  }

  const streams = metrics.gauge({ name: 'switchboard_realtime_streams', help: 'Open realtime event streams' });
  const lagMax = metrics.gauge({
    name: 'switchboard_realtime_stream_lag_events_max',
    help: 'Events the furthest-behind following stream has yet to send, of those this server knows were written',
  });
  const lagSum = metrics.gauge({
    name: 'switchboard_realtime_stream_lag_events_sum',
    help: 'Events the following streams have yet to send, summed over the streams',
  });
  metrics.probe(() => {
    const lag = realtime.streamLag();
    streams.set(realtime.openStreams);
    lagMax.set(lag.max);
    lagSum.set(lag.sum);
  });
}
