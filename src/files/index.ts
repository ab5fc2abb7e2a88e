// The one place the blob-store adapter is chosen (BLOB_STORE_URL): this server's disk, or an S3 bucket.
import type { Config } from '../config.js';
import { DiskBlobStore } from './disk.js';
import type { BlobStore } from './port.js';

export function createBlobStore(config: Config): BlobStore {
  const store = config.blobStore;
  if (store.kind !== 's3') return new DiskBlobStore(store.root);
  // The AWS SDK takes a good part of start-up to load: only a server configured for S3 loads it, starting now.
  return deferredBlobStore(
    import('./s3.js').then(({ S3BlobStore, s3Client }) => new S3BlobStore(s3Client(store), store)),
  );
}

/** A blob store that exists once `loading` resolves: every call waits for it (a failure to load fails each call). */
function deferredBlobStore(loading: Promise<BlobStore>): BlobStore {
  // Reported by the calls that need the store, not as an unhandled rejection.
  loading.catch(() => undefined);
  return {
    stage: async (source, inspect) => (await loading).stage(source, inspect),
    size: async (key) => (await loading).size(key),
    open: async (key, range) => (await loading).open(key, range),
    remove: async (key) => (await loading).remove(key),
    sweepStaging: async (before) => (await loading).sweepStaging(before),
    check: async () => (await loading).check(),
  };
}
