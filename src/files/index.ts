// The one place the blob-store adapter is chosen (BLOB_STORE_URL): this server's disk, or an S3 bucket.
import type { Config } from '../config.js';
import { DiskBlobStore } from './disk.js';
import type { BlobStore } from './port.js';
import { S3BlobStore, s3Client } from './s3.js';

export function createBlobStore(config: Config): BlobStore {
  const store = config.blobStore;
  return store.kind === 's3' ? new S3BlobStore(s3Client(store), store) : new DiskBlobStore(store.root);
}
