// The local-disk blob store under the data directory: bytes are written to `tmp/`, flushed to disk, then renamed
// into `blobs/` — a rename within one file system is atomic, so a blob is either whole or absent.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type BlobStore, type ByteRange, isBlobKey, type StagedBlob } from './port.js';

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

export class DiskBlobStore implements BlobStore {
  private readonly tmp: string;
  private readonly blobs: string;

  constructor(root: string) {
    this.tmp = path.join(root, 'tmp');
    this.blobs = path.join(root, 'blobs');
  }

  private pathOf(key: string): string {
    if (!isBlobKey(key)) throw new Error(`not a blob key: ${key}`);
    return path.join(this.blobs, key.slice(0, 2), key);
  }

  async stage(source: Readable, inspect?: Transform): Promise<StagedBlob> {
    await fsp.mkdir(this.tmp, { recursive: true });
    const file = path.join(this.tmp, `${randomBytes(16).toString('hex')}.part`);
    let size: number;
    try {
      const sink = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
      await (inspect ? pipeline(source, inspect, sink) : pipeline(source, sink));
      size = sink.bytesWritten;
      // Flushed before it can be renamed into place: a committed blob survives a crash.
      const handle = await fsp.open(file, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      await fsp.rm(file, { force: true });
      throw error;
    }
    let settled = false;
    return {
      size,
      commit: async (key) => {
        const target = this.pathOf(key);
        await fsp.mkdir(path.dirname(target), { recursive: true });
        await fsp.rename(file, target);
        settled = true;
      },
      discard: async () => {
        if (!settled) await fsp.rm(file, { force: true });
        settled = true;
      },
    };
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await fsp.stat(this.pathOf(key))).size;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async open(key: string, range?: ByteRange): Promise<Readable | null> {
    // Opened before answering, so a missing blob is a null here rather than a stream error mid-response.
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(this.pathOf(key), 'r');
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async remove(key: string): Promise<void> {
    await fsp.rm(this.pathOf(key), { force: true });
  }

  async sweepStaging(before: number): Promise<number> {
    let names: string[];
    try {
      names = await fsp.readdir(this.tmp);
    } catch (error) {
      if (isMissing(error)) return 0;
      throw error;
    }
    let removed = 0;
    for (const name of names) {
      const file = path.join(this.tmp, name);
      const stat = await fsp.stat(file).catch(() => null);
      if (stat && stat.mtimeMs < before) {
        await fsp.rm(file, { force: true });
        removed += 1;
      }
    }
    return removed;
  }

  async check(): Promise<void> {
    await fsp.mkdir(this.tmp, { recursive: true });
    await fsp.access(this.tmp, fs.constants.W_OK);
    await fsp.mkdir(this.blobs, { recursive: true });
  }
}
