// The blob-store port's contract, held by both adapters: the disk, and S3 against a real S3-compatible server
// (TEST_S3_URL, started by .ci/run). Bytes stream in and out (a file larger than a multipart part included),
// byte ranges, nothing visible before a commit, nothing left behind by a refusal or a discard, and staged
// leftovers of a crash swept.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createBlobStore } from '../../src/files/index.js';
import { ContentInspector, FileTooLargeError } from '../../src/files/inspect.js';
import type { BlobStore } from '../../src/files/port.js';
import { S3_URL, s3Env } from '../helpers/s3.js';

const MB = 1024 * 1024;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function storeOf(kind: 'disk' | 's3'): BlobStore {
  if (kind === 's3') return createBlobStore(loadConfig(s3Env()));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-blobs-'));
  dirs.push(dir);
  return createBlobStore(loadConfig({ BLOB_STORE_URL: `file:${dir}` }));
}

/** `size` bytes from a seeded generator, in chunks, as a network source delivers them. */
function source(size: number, seed = 7): { stream: Readable; sha256: string; bytes: Buffer } {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (i * seed + (i >> 8)) & 0xff;
  const chunks: Buffer[] = [];
  for (let at = 0; at < size; at += 64 * 1024) chunks.push(bytes.subarray(at, at + 64 * 1024));
  return { stream: Readable.from(chunks), sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
}

async function read(stream: Readable | null): Promise<Buffer> {
  if (!stream) throw new Error('no blob');
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const key = () => randomBytes(12).toString('hex');
const KINDS = S3_URL ? (['disk', 's3'] as const) : (['disk'] as const);

describe.each(KINDS)('the %s blob store', (kind) => {
  const blobs = storeOf(kind);

  it('is reachable', async () => {
    await expect(blobs.check()).resolves.toBeUndefined();
  });

  it('keeps nothing under a key before the commit, then the whole file, whole and by range', async () => {
    const file = source(12 * MB + 123);
    const staged = await blobs.stage(file.stream);
    expect(staged.size).toBe(file.bytes.length);
    const k = key();
    expect(await blobs.size(k)).toBeNull();
    expect(await blobs.open(k)).toBeNull();
    await staged.commit(k);
    await staged.discard();
    expect(await blobs.size(k)).toBe(file.bytes.length);
    const whole = await read(await blobs.open(k));
    expect(createHash('sha256').update(whole).digest('hex')).toBe(file.sha256);
    const tail = await read(await blobs.open(k, { start: file.bytes.length - 1000, end: file.bytes.length - 1 }));
    expect(tail.equals(file.bytes.subarray(file.bytes.length - 1000))).toBe(true);
    const middle = await read(await blobs.open(k, { start: 5 * MB - 10, end: 5 * MB + 9 }));
    expect(middle.equals(file.bytes.subarray(5 * MB - 10, 5 * MB + 10))).toBe(true);
    await blobs.remove(k);
    expect(await blobs.size(k)).toBeNull();
    await blobs.remove(k);
    // Nothing was left in staging.
    expect(await blobs.sweepStaging(Date.now() + 60_000)).toBe(0);
  });

  it('stops a file past its limit as soon as it shows, leaving nothing behind', async () => {
    const inspector = new ContentInspector(6 * MB);
    await expect(blobs.stage(source(8 * MB).stream, inspector)).rejects.toBeInstanceOf(FileTooLargeError);
    expect(await blobs.sweepStaging(Date.now() + 60_000)).toBe(0);
  });

  it('leaves nothing behind when a source breaks off, or a staged file is discarded', async () => {
    const broken = new Readable({ read() {} });
    broken.push(Buffer.alloc(64 * 1024, 1));
    setTimeout(() => broken.destroy(new Error('connection reset')), 20);
    await expect(blobs.stage(broken)).rejects.toThrow('connection reset');
    const staged = await blobs.stage(source(1000).stream);
    await staged.discard();
    expect(await blobs.sweepStaging(Date.now() + 60_000)).toBe(0);
  });

  it('replaces a blob on a second commit under its key', async () => {
    const k = key();
    await (await blobs.stage(source(100, 3).stream)).commit(k);
    const second = source(200, 5);
    await (await blobs.stage(second.stream)).commit(k);
    expect((await read(await blobs.open(k))).equals(second.bytes)).toBe(true);
  });

  it('sweeps staged bytes a crash left, and only old ones', async () => {
    await blobs.stage(source(1000).stream);
    expect(await blobs.sweepStaging(Date.now() - 60_000)).toBe(0);
    expect(await blobs.sweepStaging(Date.now() + 60_000)).toBe(1);
  });
});

describe.runIf(S3_URL)('the S3 blob store, misconfigured', () => {
  it('is not ready when its bucket does not exist', async () => {
    const env = s3Env();
    const blobs = createBlobStore(loadConfig({ ...env, BLOB_STORE_URL: 's3://no-such-bucket-here/x' }));
    await expect(blobs.check()).rejects.toThrow();
  });
});
