// The journal's writer: recorded requests wait in memory and are written in batches, off the request path (a crash
// loses at most the batch not yet written). A location's count is pruned once every tenth of JOURNAL_MAX_ROWS of its
// calls, by age once a minute.
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
 * Calls of a location written between two prunes of its count: a tenth of what it keeps. Pruning walks the kept rows
 * to find where to cut, so after every batch it would cost more than the batch; a location holds at most this many
 * more rows than it keeps, which the journal never shows (listJournal reads only the newest JOURNAL_MAX_ROWS).
 */
export function pruneInterval(maxRows: number): number {
  return Math.max(1, Math.ceil(maxRows / 10));
}

export class JournalRecorder {
  private pending: NewJournalRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private lastAgePrune = Number.NEGATIVE_INFINITY;
  /** Calls written per location since its count was last pruned; a location not seen yet is pruned at once. */
  private readonly sincePrune = new Map<string, number>();
  private onError: (error: unknown) => void = () => {};

  constructor(private readonly deps: { store: Store; clock: Clock; config: JournalConfig }) {}

  get enabled(): boolean {
    return this.deps.config.enabled;
  }

  get maxBodyBytes(): number {
    return this.deps.config.maxBodyBytes;
  }

  /** What is kept of a successful read's answer: the data is still there to read again, and it is most of the bytes. */
  get maxReadBodyBytes(): number {
    return Math.min(this.deps.config.maxReadBodyBytes, this.deps.config.maxBodyBytes);
  }

  get maxRows(): number {
    return this.deps.config.maxRows;
  }

  now(): number {
    return this.deps.clock.now();
  }

  logErrorsTo(onError: (error: unknown) => void): void {
    this.onError = onError;
  }

  record(row: NewJournalRow): void {
    this.pending.push(row);
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

  /** The locations of `batch` whose count is due for pruning once it is written. */
  private dueForPruning(batch: NewJournalRow[]): string[] {
    const interval = pruneInterval(this.deps.config.maxRows);
    const calls = new Map<string, number>();
    for (const row of batch) calls.set(row.location_id, (calls.get(row.location_id) ?? 0) + 1);
    const due: string[] = [];
    for (const [locationId, count] of calls) {
      const written = (this.sincePrune.get(locationId) ?? interval) + count;
      this.sincePrune.set(locationId, written);
      if (written >= interval) due.push(locationId);
    }
    return due;
  }

  private async write(batch: NewJournalRow[]): Promise<void> {
    const { store, clock, config } = this.deps;
    const due = this.dueForPruning(batch);
    try {
      await store.unit(async ({ db: trx }) => {
        await insertJournalRows(trx, batch);
        for (const locationId of due) await pruneJournalBeyond(trx, locationId, config.maxRows);
      });
      for (const locationId of due) this.sincePrune.set(locationId, 0);
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
