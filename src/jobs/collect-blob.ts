// Job kind "blob.collect": removes a blob that no stored file (nor a direct upload in flight) refers to. Enqueued for
// every blob before the transaction that would make it a file (due well after that transaction ends, so a blob
// whose transaction failed, or whose server died, is collected), and in the transaction that deletes a file.
import { newId } from '../domain/ids.js';
import type { BlobStore } from '../files/port.js';
import type { Store } from '../store/database.js';
import type { Executor } from '../store/executor.js';
import { blobInUse } from '../store/repositories/files.js';
import { exponentialBackoff, type JobKind } from './runner.js';

export interface CollectBlobPayload {
  key: string;
}

export const COLLECT_BLOB_KIND = 'blob.collect';
const MAX_ATTEMPTS = 10;

export function collectBlobJob(deps: { store: Store; blobs: BlobStore }): JobKind<CollectBlobPayload> {
  return {
    kind: COLLECT_BLOB_KIND,
    maxAttempts: MAX_ATTEMPTS,
    backoffMs: exponentialBackoff(30_000, 60 * 60_000),
    async run({ key }) {
      if (await blobInUse(deps.store.db, key)) return;
      await deps.blobs.remove(key);
    },
    // Once the store kept failing, the blob stays: a few bytes unaccounted for, never a file lost.
    async onDead() {},
  };
}

/** Queues the collection of blobs (in the caller's transaction): they go at `runAt` unless a file then uses them. */
export async function enqueueBlobCollection(
  db: Executor,
  blobs: { locationId: string; key: string }[],
  runAt: number,
  now: number,
): Promise<void> {
  if (blobs.length === 0) return;
  await db
    .insertInto('jobs')
    .values(
      blobs.map(({ locationId, key }) => ({
        id: newId(),
        kind: COLLECT_BLOB_KIND,
        location_id: locationId,
        subject_id: key,
        payload: JSON.stringify({ key } satisfies CollectBlobPayload),
        status: 'pending',
        run_at: runAt,
        attempts: 0,
        max_attempts: MAX_ATTEMPTS,
        locked_until: null,
        locked_by: null,
        last_error: null,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
}
