// Taking a snapshot of a location (GET /admin/v1/locations/{id}/snapshot, `switchboard snapshot save`): its rows,
// read in one transaction, and its files' bytes, streamed through gzip as they are read, never held whole.
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { createGzip, type Gzip } from 'node:zlib';
import type { BlobStore } from '../../../files/port.js';
import type { Store } from '../../../store/database.js';
import { findLocation } from '../../../store/repositories/locations.js';
import { SNAPSHOT_TABLES } from '../../../store/repositories/snapshot-tables.js';
import { readConsistently, tableRows } from '../../../store/snapshot-read.js';
import { notFound } from '../../errors.js';
import {
  BLOB_CHUNK_BYTES,
  orderedRow,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type SnapshotHeader,
  type SnapshotLine,
} from './format.js';

const FLUSH_CHARS = 64 * 1024;

/** Lines into the gzip stream, a few kilobytes at a time, waiting whenever the reader is behind. */
class LineSink {
  private buffered: string[] = [];
  private chars = 0;

  constructor(private readonly out: Gzip) {}

  async line(value: SnapshotHeader | SnapshotLine): Promise<void> {
    const text = `${JSON.stringify(value)}\n`;
    this.buffered.push(text);
    this.chars += text.length;
    if (this.chars >= FLUSH_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffered.length === 0) return;
    const text = this.buffered.join('');
    this.buffered = [];
    this.chars = 0;
    if (!this.out.write(text)) await once(this.out, 'drain');
  }
}

/** Fixed-size parts of a stream of bytes (the last one shorter). */
async function* fixedChunks(source: Readable, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of source as AsyncIterable<Buffer>) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= size) {
      yield pending.subarray(0, size);
      pending = pending.subarray(size);
    }
  }
  if (pending.length > 0) yield pending;
}

export class SnapshotSaver {
  constructor(private readonly deps: { store: Store; blobs: BlobStore }) {}

  /** The snapshot as a gzip stream; 404 when there is no such location. A failure part-way destroys the stream. */
  async save(locationId: string): Promise<Readable> {
    if (!(await findLocation(this.deps.store.db, locationId))) throw notFound('Location');
    const gzip = createGzip();
    this.write(locationId, gzip).then(
      () => gzip.end(),
      (error: unknown) => gzip.destroy(error as Error),
    );
    return gzip;
  }

  private async write(locationId: string, gzip: Gzip): Promise<void> {
    const sink = new LineSink(gzip);
    await sink.line({ format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, locationId });
    let rows = 0;
    let blobBytes = 0;
    await readConsistently(this.deps.store, async (db) => {
      for (const spec of SNAPSHOT_TABLES) {
        const extra = spec.name === 'files' ? ['storage_key'] : [];
        for await (const row of tableRows(db, spec, locationId, extra)) {
          if (gzip.destroyed) throw new Error('the snapshot reader went away');
          await sink.line({ table: spec.name, row: orderedRow(spec, row) });
          rows++;
          if (spec.name === 'files')
            blobBytes += await this.blobLines(sink, row.id as string, row.storage_key as string);
        }
      }
    });
    await sink.line({ end: { rows, blobBytes } });
    await sink.flush();
  }

  private async blobLines(sink: LineSink, fileId: string, key: string): Promise<number> {
    const body = await this.deps.blobs.open(key);
    if (!body) throw new Error(`the bytes of file ${fileId} are missing from the blob store`);
    let bytes = 0;
    for await (const chunk of fixedChunks(body, BLOB_CHUNK_BYTES)) {
      await sink.line({ blob: fileId, data: chunk.toString('base64') });
      bytes += chunk.length;
    }
    return bytes;
  }
}
