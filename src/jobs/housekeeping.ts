// Housekeeping: finished jobs and ended webhook deliveries are kept for a retention period (for the console, the
// admin API and redelivery), then deleted, so a long-running server's tables do not grow without bound.
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../store/database.js';
import { deleteFinishedJobs } from '../store/repositories/jobs.js';
import { deleteEndedWebhookDeliveries } from '../store/repositories/webhook-deliveries.js';

/** Rows deleted per statement: short transactions, so writers on either engine never wait long behind a sweep. */
const BATCH = 500;
/** How often a server sweeps; every replica may, as a delete of what another already deleted is a no-op. */
const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

export interface SweepReport {
  jobs: number;
  webhookDeliveries: number;
}

export class Housekeeping {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<SweepReport> | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly retention: Config['retention'],
  ) {}

  start(log: FastifyBaseLogger): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) => log.warn({ err: error }, 'housekeeping: sweep failed'));
    }, SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping?.catch(() => {});
  }

  /** Deletes what retention no longer keeps; one sweep at a time. */
  sweep(): Promise<SweepReport> {
    this.sweeping ??= this.run().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  private async run(): Promise<SweepReport> {
    const now = this.clock.now();
    const jobs = await drain((limit) => deleteFinishedJobs(this.store.db, now - this.retention.jobsMs, limit));
    const webhookDeliveries = await drain((limit) =>
      deleteEndedWebhookDeliveries(this.store.db, now - this.retention.webhookLogMs, limit),
    );
    return { jobs, webhookDeliveries };
  }
}

/** Runs a batched delete until a batch comes back short; answers the total deleted. */
async function drain(deleteBatch: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch(BATCH);
    total += deleted;
    if (deleted < BATCH) return total;
  }
}
