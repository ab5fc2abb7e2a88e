// PostgreSQL's numbering of committed events (numberEvents): run for a location right after a transaction that wrote
// its events commits, once at a time per location on this server (a request meanwhile asks for one more run, which
// numbers everything committed by then, so a busy location is numbered in batches). A failed run is retried with
// backoff, and the realtime poll sweeps up events whose server stopped before numbering them.
import type { Store } from '../store/database.js';
import { locationsAwaitingNumbers, numberEvents } from '../store/repositories/events.js';

const BATCH = 500;
const FIRST_RETRY_MS = 50;
const LAST_RETRY_MS = 5_000;

export class EventNumbering {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly retries = new Map<string, { timer: NodeJS.Timeout; delay: number }>();
  private closed = false;

  constructor(
    private readonly store: Store,
    /** Told of a location's new head once events are numbered up to it. */
    private readonly numbered: (locationId: string, head: number) => void,
    private readonly failed: (error: unknown, locationId: string) => void,
  ) {}

  /** Numbers the location's committed events now (or once more right after the run in progress). */
  settle(locationId: string): Promise<void> {
    const current = this.running.get(locationId);
    if (current) {
      this.again.add(locationId);
      return current;
    }
    const run = this.run(locationId).finally(() => this.running.delete(locationId));
    this.running.set(locationId, run);
    return run;
  }

  /** Numbers the events of locations whose server stopped before it could. */
  async sweep(): Promise<void> {
    for (const locationId of await locationsAwaitingNumbers(this.store.db, 100)) await this.settle(locationId);
  }

  close(): void {
    this.closed = true;
    for (const { timer } of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
  }

  private async run(locationId: string): Promise<void> {
    do {
      this.again.delete(locationId);
      try {
        const result = await numberEvents(this.store.db, locationId, BATCH);
        if (result.numbered > 0) this.numbered(locationId, result.head);
        if (result.waiting) this.again.add(locationId);
        this.retries.delete(locationId);
      } catch (error) {
        this.failed(error, locationId);
        this.retry(locationId);
        return;
      }
    } while (this.again.has(locationId) && !this.closed);
  }

  /** After a failure (the database briefly away): again later, backing off. */
  private retry(locationId: string): void {
    if (this.closed) return;
    const previous = this.retries.get(locationId);
    const delay = previous ? Math.min(LAST_RETRY_MS, previous.delay * 2) : FIRST_RETRY_MS;
    const timer = setTimeout(() => void this.settle(locationId), delay);
    timer.unref();
    this.retries.set(locationId, { timer, delay });
  }
}
