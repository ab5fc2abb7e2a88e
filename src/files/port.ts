// The blob-store port: where the bytes of stored files live (the local disk by default, or an S3 bucket that every
// server shares). Bytes stream in and out, never held whole in memory, and nothing becomes visible under a key until
// it is completely written.
import type { Readable, Transform } from 'node:stream';

/** A byte range, both ends inclusive, as HTTP ranges are. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Bytes written to temporary storage: committed under a key, or discarded; either leaves nothing half-written. */
export interface StagedBlob {
  readonly size: number;
  /** Makes the bytes visible under `key` at once (replacing what was there). */
  commit(key: string): Promise<void>;
  discard(): Promise<void>;
}

export interface BlobStore {
  /** Streams `source` (through `inspect`, when given) to temporary storage; a failure leaves nothing behind. */
  stage(source: Readable, inspect?: Transform): Promise<StagedBlob>;
  /** The blob's size in bytes, or null when there is none under the key. */
  size(key: string): Promise<number | null>;
  /** Streams the blob (or a range of it); null when there is none under the key. */
  open(key: string, range?: ByteRange): Promise<Readable | null>;
  /** Removes the blob under the key, if there is one. */
  remove(key: string): Promise<void>;
  /** Removes staged bytes older than `before` (epoch ms) that were never committed nor discarded (a crash). */
  sweepStaging(before: number): Promise<number>;
  /** Throws unless the store can be read and written now (readiness). */
  check(): Promise<void>;
}

/** Blob keys are generated ids: letters, digits, `-` and `_`, so no key can name a path outside the store. */
export function isBlobKey(key: string): boolean {
  return /^[A-Za-z0-9_-]{8,128}$/.test(key);
}
