// The one place the blob-store adapter is chosen: the local disk under the data directory.
import path from 'node:path';
import type { Config } from '../config.js';
import { DiskBlobStore } from './disk.js';
import type { BlobStore } from './port.js';

export function createBlobStore(config: Config): BlobStore {
  return new DiskBlobStore(path.join(config.dataDir, 'files'));
}
