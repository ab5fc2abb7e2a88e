// PostgreSQL's numbering of committed events (numberEvents): asked for a location right after a transaction that wrote
// its events commits. One run at a time on this server numbers every location asked for since the last one began, in
// one statement (a request meanwhile waits for the next run), so a busy server numbers in batches: under load one
// short statement serves many commits of many locations. A failed run is retried with backoff, and the realtime
// poll sweeps up events whose server stopped before numbering them.
import type { Store } from '../store/database.js';
import { locationsAwaitingNumbers, numberEvents } from '../store/repositories/events.js';

const BATCH = 500;
const FIRST_RETRY_MS = 50;
const LAST_RETRY_MS = 5_000;

export class EventNumbering {
  /** Locations asked for since the current run took its set. */
  private readonly asked = new Set<string>();
  private running: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private lastDelay = 0;
  private closed = false;

  constructor(
    private readonly store: Store,
    /** Told of a location's new head once events are numbered up to it. */
    private readonly numbered: (locationId: string, head: number) => void,
    private readonly failed: (error: unknown, locationIds: string[]) => void,
  ) {}

  /** Numbers the location's committed events in the next run; resolves once no run is due. */
  settle(locationId: string): Promise<void> {
    this.asked.add(locationId);
    if (this.retry) return Promise.resolve();
    // Begun on the next turn of the event loop, so the commits that complete in this one share the run.
    this.running ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.run())
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Numbers the events of locations whose server stopped before it could. */
  async sweep(): Promise<void> {
    const waiting = await locationsAwaitingNumbers(this.store.db, 100);
    await Promise.all(waiting.map((locationId) => this.settle(locationId)));
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  private async run(): Promise<void> {
    while (this.asked.size > 0 && !this.closed) {
      const locations = [...this.asked];
      this.asked.clear();
      try {
        for (const result of await numberEvents(this.store.db, locations, BATCH)) {
          this.numbered(result.locationId, result.head);
          if (result.waiting) this.asked.add(result.locationId);
        }
        this.lastDelay = 0;
      } catch (error) {
        this.failed(error, locations);
        for (const locationId of locations) this.asked.add(locationId);
        this.retryLater();
        return;
      }
    }
  }

  /** After a failure (the database briefly away): every location asked for, again later, backing off. */
  private retryLater(): void {
    if (this.closed) return;
    const delay = this.lastDelay ? Math.min(LAST_RETRY_MS, this.lastDelay * 2) : FIRST_RETRY_MS;
    this.lastDelay = delay;
    this.retry = setTimeout(() => {
      this.retry = null;
      const [first] = this.asked;
      if (first !== undefined) void this.settle(first);
    }, delay);
    this.retry.unref();
  }
}
