// Group commit for SQLite. Commits run with synchronous=NORMAL, so SQLite writes each transaction to the WAL without
// waiting for the disk; a write is acknowledged only once an fsync of the WAL file that began after its commit has
// finished. One fsync covers every commit before it, so concurrent writers share it, and it runs on libuv's thread
// pool instead of blocking the event loop the way a synchronous=FULL commit does.
//
// Why an fsync of our own descriptor is enough: fsync flushes the file (the inode), whoever wrote it, and a commit in
// WAL mode is complete once its frames, commit frame included, are in the WAL file.
import fs from 'node:fs/promises';
import path from 'node:path';

export type SyncFile = (file: string) => Promise<void>;

/** Opens, fsyncs and closes: the WAL is reopened each time, so a WAL that SQLite deleted and recreated is still the one synced. */
export const fsyncFile: SyncFile = async (file) => {
  const handle = await fs.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

interface Waiter {
  commit: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class WalSync {
  /** Commits that wrote something, counted as they finish. */
  private committed = 0;
  /** Every commit up to this one is on disk. */
  private synced = 0;
  private syncing = false;
  private directorySynced = false;
  /**
   * A failed fsync may have dropped the dirty pages it could not write, so a later fsync that succeeds proves
   * nothing (PostgreSQL panics for this reason). Once one fails, no write is acknowledged until a restart, whose
   * recovery reads what the WAL really holds.
   */
  private failure: unknown = null;
  private readonly waiters: Waiter[] = [];

  constructor(
    private readonly databaseFile: string,
    private readonly syncFile: SyncFile = fsyncFile,
    /** Told once, when the first fsync fails. */
    private readonly onFailure: (error: unknown) => void = () => undefined,
  ) {}

  /** A transaction (or a statement outside one) that wrote has committed. */
  noteCommit(): void {
    this.committed++;
  }

  /** Resolves once every commit made before the call is on disk. */
  durable(): Promise<void> {
    const commit = this.committed;
    if (this.failure) return Promise.reject(this.failure);
    if (this.synced >= commit) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ commit, resolve, reject });
      if (!this.syncing) void this.sync();
    });
  }

  private async sync(): Promise<void> {
    this.syncing = true;
    try {
      while (this.waiters.length > 0) {
        const covers = this.committed;
        let failure: unknown = null;
        try {
          // The first sync also makes the WAL's directory entry durable: a crash must not lose the file itself.
          if (!this.directorySynced) await this.syncFile(path.dirname(this.databaseFile));
          this.directorySynced = true;
          await this.syncFile(`${this.databaseFile}-wal`);
          this.synced = Math.max(this.synced, covers);
        } catch (error) {
          failure = error;
          if (!this.failure) {
            this.failure = error;
            this.onFailure(error);
          }
        }
        for (let i = this.waiters.length - 1; i >= 0; i--) {
          const waiter = this.waiters[i] as Waiter;
          if (waiter.commit > covers && !failure) continue;
          this.waiters.splice(i, 1);
          if (failure) waiter.reject(failure);
          else waiter.resolve();
        }
      }
    } finally {
      this.syncing = false;
    }
  }
}
