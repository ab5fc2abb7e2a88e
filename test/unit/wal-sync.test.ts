// Group commit's barrier: who waits for which fsync, and how many fsyncs concurrent writers share.
import { describe, expect, it } from 'vitest';
import { WalSync } from '../../src/store/wal-sync.js';

/** A sync that finishes only when the test says so, recording what it was asked to sync. */
function heldSync() {
  const calls: string[] = [];
  const pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const sync = (file: string) =>
    new Promise<void>((resolve, reject) => {
      calls.push(file);
      pending.push({ resolve, reject });
    });
  const settle = async (how: 'resolve' | 'reject') => {
    const next = pending.shift();
    if (!next) throw new Error('no sync is running');
    if (how === 'resolve') next.resolve();
    else next.reject(new Error('EIO: i/o error, fsync'));
    // Let the barrier hand out its results and start the next sync.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { calls, sync, release: () => settle('resolve'), fail: () => settle('reject') };
}

function state(promise: Promise<void>) {
  const seen = { settled: false, error: null as unknown };
  promise.then(
    () => {
      seen.settled = true;
    },
    (error: unknown) => {
      seen.settled = true;
      seen.error = error;
    },
  );
  return seen;
}

describe('WalSync', () => {
  it('asks nothing of the disk when nothing has committed since the last sync', async () => {
    const held = heldSync();
    const wal = new WalSync('/data/app.db', held.sync);
    await wal.durable();
    expect(held.calls).toEqual([]);
  });

  it('acknowledges a commit only after a sync of the WAL (and once, its directory) has finished', async () => {
    const held = heldSync();
    const wal = new WalSync('/data/app.db', held.sync);
    wal.noteCommit();
    const first = state(wal.durable());
    await held.release(); // the directory
    expect(first.settled).toBe(false);
    await held.release(); // the WAL
    expect(first.settled).toBe(true);
    expect(held.calls).toEqual(['/data', '/data/app.db-wal']);

    wal.noteCommit();
    const second = state(wal.durable());
    await held.release();
    expect(second.settled).toBe(true);
    expect(held.calls).toEqual(['/data', '/data/app.db-wal', '/data/app.db-wal']);
  });

  it('makes a commit that lands while a sync runs wait for the next one, which covers every waiter', async () => {
    const held = heldSync();
    const wal = new WalSync('/data/app.db', held.sync);
    wal.noteCommit();
    const early = state(wal.durable());
    await held.release(); // the directory; the WAL's first sync is now running
    const late = Array.from({ length: 20 }, () => {
      wal.noteCommit();
      return state(wal.durable());
    });
    await held.release();
    expect(early.settled).toBe(true);
    expect(late.some((s) => s.settled)).toBe(false);
    await held.release();
    expect(late.every((s) => s.settled && s.error === null)).toBe(true);
    // Twenty-one commits, two syncs of the WAL.
    expect(held.calls.filter((file) => file.endsWith('-wal'))).toHaveLength(2);
  });

  it('after a failed sync, acknowledges nothing more: a later sync that succeeds would prove nothing', async () => {
    const held = heldSync();
    const wal = new WalSync('/data/app.db', held.sync);
    wal.noteCommit();
    const failed = state(wal.durable());
    await held.release();
    wal.noteCommit();
    const waiting = state(wal.durable()); // committed while the failing sync ran
    await held.fail();
    expect(failed.error).toBeInstanceOf(Error);
    expect(waiting.error).toBeInstanceOf(Error);

    wal.noteCommit();
    await expect(wal.durable()).rejects.toThrow(/EIO/);
    await expect(wal.durable()).rejects.toThrow(/EIO/);
    expect(held.calls).toHaveLength(2);
  });
});
