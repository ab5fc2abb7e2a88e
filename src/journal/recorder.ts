// The journal's writer: recorded requests wait in memory and are written in batches, off the request path (a crash
// loses at most the batch not yet written); each batch prunes what retention no longer keeps.
import type { JournalConfig } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../store/database.js';
import {
  insertJournalRows,
  type NewJournalRow,
  pruneJournalBefore,
  pruneJournalBeyond,
} from '../store/repositories/request-journal.js';

const BATCH = 500;
/** Pruning by age runs at most this often. */
const PRUNE_EVERY_MS = 60_000;

/**
 * The row with every NUL character shown as U+FFFD: PostgreSQL's text refuses NUL, and one refused request in a batch
 * would lose the whole batch. The journal shows what arrived; the call itself was answered on its own terms.
 */
function storable(row: NewJournalRow): NewJournalRow {
  const entries = Object.entries(row).map(([key, value]) => [
    key,
    typeof value === 'string' ? value.replaceAll('\u0000', '\uFFFD') : value,
  ]);
  return Object.fromEntries(entries) as NewJournalRow;
}

export class JournalRecorder {
  private pending: NewJournalRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private lastAgePrune = Number.NEGATIVE_INFINITY;
  private onError: (error: unknown) => void = () => {};

  constructor(private readonly deps: { store: Store; clock: Clock; config: JournalConfig }) {}

  get enabled(): boolean {
    return this.deps.config.enabled;
  }

  get maxBodyBytes(): number {
    return this.deps.config.maxBodyBytes;
  }

  now(): number {
    return this.deps.clock.now();
  }

  logErrorsTo(onError: (error: unknown) => void): void {
    this.onError = onError;
  }

  record(row: NewJournalRow): void {
    this.pending.push(storable(row));
    if (this.pending.length >= BATCH) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.deps.config.flushMs);
      this.timer.unref();
    }
  }

  /** Writes whatever is waiting; resolves once it (and every earlier batch) is written. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    this.writing = this.writing.then(() => (batch.length > 0 ? this.write(batch) : undefined));
    return this.writing;
  }

  private async write(batch: NewJournalRow[]): Promise<void> {
    const { store, clock, config } = this.deps;
    try {
      await store.unit(async ({ db: trx }) => {
        await insertJournalRows(trx, batch);
        for (const locationId of new Set(batch.map((row) => row.location_id))) {
          await pruneJournalBeyond(trx, locationId, config.maxRows);
        }
      });
      if (performance.now() - this.lastAgePrune > PRUNE_EVERY_MS) {
        this.lastAgePrune = performance.now();
        await store.unit(({ db }) => pruneJournalBefore(db, clock.now() - config.retentionMs));
      }
    } catch (error) {
      // The journal is diagnostics: a batch that cannot be written is reported and dropped, never retried forever.
      this.onError(error);
    }
  }
}
