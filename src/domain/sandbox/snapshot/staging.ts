// The bytes of a snapshot's files, staged in the blob store while the snapshot is checked: none becomes a file until
// the restore's transaction commits, and all are discarded when the snapshot turns out to be bad.
import { createHash, type Hash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { BlobStore, StagedBlob } from '../../../files/port.js';
import { invalidSnapshot } from './format.js';

interface OpenFile {
  id: string;
  size: number;
  checksum: string;
  bytes: number;
  hash: Hash;
  pass: PassThrough;
  staging: Promise<StagedBlob>;
}

export class StagedFiles {
  readonly staged = new Map<string, StagedBlob>();
  private open: OpenFile | null = null;

  constructor(private readonly blobs: BlobStore) {}

  /** A file's row was read: its bytes follow. */
  async start(row: { id: string; size: number; checksum: string }): Promise<void> {
    await this.finish();
    if (this.staged.has(row.id)) throw invalidSnapshot(`file ${row.id} appears twice`);
    const pass = new PassThrough();
    const staging = this.blobs.stage(pass);
    // Observed at once, so a store that fails before the first write is not an unhandled rejection.
    staging.catch(() => {});
    this.open = { ...row, bytes: 0, hash: createHash('sha256'), pass, staging };
  }

  /** Adds a line's bytes to the open file; answers how many. */
  async write(fileId: string, data: string, lineNumber: number): Promise<number> {
    const open = this.open;
    if (open?.id !== fileId) throw invalidSnapshot(`line ${lineNumber}: bytes of ${fileId} not right after its file`);
    const bytes = Buffer.from(data, 'base64');
    open.bytes += bytes.length;
    if (open.bytes > open.size) throw invalidSnapshot(`file ${fileId} has more bytes than its size`);
    open.hash.update(bytes);
    const written = new Promise<void>((resolve, reject) =>
      open.pass.write(bytes, (error) => (error ? reject(error) : resolve())),
    );
    await Promise.race([written, open.staging.then(() => undefined)]);
    return bytes.length;
  }

  /** The open file's bytes are complete: they must be its size and checksum. */
  async finish(): Promise<void> {
    const open = this.open;
    if (!open) return;
    this.open = null;
    open.pass.end();
    const staged = await open.staging;
    const checksum = open.hash.digest('hex');
    if (open.bytes !== open.size || checksum !== open.checksum) {
      await staged.discard();
      throw invalidSnapshot(`the bytes of file ${open.id} do not match its size and checksum`);
    }
    this.staged.set(open.id, staged);
  }

  async discardAll(): Promise<void> {
    const open = this.open;
    this.open = null;
    if (open) {
      open.pass.destroy();
      await open.staging.then((staged) => staged.discard()).catch(() => {});
    }
    await Promise.all([...this.staged.values()].map((staged) => staged.discard().catch(() => {})));
    this.staged.clear();
  }
}
