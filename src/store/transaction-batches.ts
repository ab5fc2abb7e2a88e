// Transactions that arrive together share one commit (SQLite). SQLite has one writer, and most of a small
// transaction's cost is its commit: writing every page it dirtied to the WAL. The units of work queued while the
// event loop was busy run one after another in one transaction, each in a savepoint of its own, so a unit that
// fails rolls back alone, as it would have in a transaction of its own; every unit is answered once the commit has
// succeeded, so none is acknowledged before it is committed. The result is what running them one by one gives,
// in the order they arrived.
import type { ControlledTransaction, Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Work<T> = (trx: Transaction<Database>) => Promise<T>;

interface Pending {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Enough to share a commit widely, few enough that a read waiting for the connection is not held long. */
const MAX_UNITS = 32;

export class TransactionBatches {
  private readonly queue: Pending[] = [];
  private draining = false;

  /** `halted`: once it answers an error, nothing more is committed; queued units fail with it. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly halted: () => unknown = () => null,
  ) {}

  /** Units waiting for the next batch (metrics). */
  get queued(): number {
    return this.queue.length;
  }

  /** Runs `work` in a transaction (shared with others queued alongside); resolves once that has committed. */
  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        // Requests already read from their sockets get this far before the loop turns: let them join the batch.
        await new Promise((resolve) => setImmediate(resolve));
        await this.runBatch(this.queue.splice(0, MAX_UNITS));
      }
    } finally {
      this.draining = false;
    }
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    let trx: ControlledTransaction<Database>;
    const halted = this.halted();
    if (halted) {
      for (const unit of batch) unit.reject(halted);
      return;
    }
    try {
      trx = await this.db.startTransaction().execute();
    } catch (error) {
      for (const unit of batch) unit.reject(error);
      return;
    }
    const done: { unit: Pending; value: unknown }[] = [];
    let index = 0;
    try {
      for (; index < batch.length; index++) {
        const unit = batch[index] as Pending;
        const name = `unit_${index}`;
        const savepoint = await trx.savepoint(name).execute();
        let value: unknown;
        try {
          value = await unit.work(savepoint);
        } catch (error) {
          unit.reject(error);
          // If even this fails, the transaction itself is gone (SQLite rolls back all of it on some errors).
          await savepoint.rollbackToSavepoint(name).execute();
          continue;
        }
        await savepoint.releaseSavepoint(name).execute();
        done.push({ unit, value });
      }
      // The disk may have failed while the units ran.
      const haltedSince = this.halted();
      if (haltedSince) throw haltedSince;
      await trx.commit().execute();
    } catch (error) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      // Nothing of this batch is kept: the units that ran (and the one running) fail; those not reached run later.
      // (A unit's promise settles once: rejecting the one whose own failure came first changes nothing.)
      for (const { unit } of done) unit.reject(error);
      if (index < batch.length) (batch[index] as Pending).reject(error);
      this.queue.unshift(...batch.slice(index + 1));
      return;
    }
    for (const { unit, value } of done) unit.resolve(value);
  }
}
