// The S3 blob store: every server of a deployment reads and writes one bucket (AWS S3, or an S3-compatible server).
// Bytes stream to a staging object under `tmp/` (a multipart upload, so memory holds a few parts, never the file),
// and a commit copies that object to its key under `blobs/` in one server-side step: an S3 object is visible whole
// or not at all, so no reader ever sees half a file.
import { randomBytes } from 'node:crypto';
import { PassThrough, type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { BlobStoreConfig } from '../config.js';
import { type BlobStore, type ByteRange, isBlobKey, type StagedBlob } from './port.js';

type S3Config = Extract<BlobStoreConfig, { kind: 's3' }>;

/** Parts of a multipart upload: S3's smallest, and at most two in memory while they upload. */
const PART_BYTES = 5 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

export function s3Client(config: S3Config): S3Client {
  return new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    // Content is checked by our own SHA-256 as it streams; S3-compatible servers do not all take trailing checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/** Counts the bytes that pass. */
function byteCounter(): { counter: Transform; bytes: () => number } {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  return { counter, bytes: () => bytes };
}

export class S3BlobStore implements BlobStore {
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(
    private readonly client: S3Client,
    config: Pick<S3Config, 'bucket' | 'prefix'>,
  ) {
    this.bucket = config.bucket;
    this.prefix = config.prefix;
  }

  private objectOf(key: string): string {
    if (!isBlobKey(key)) throw new Error(`not a blob key: ${key}`);
    return `${this.prefix}blobs/${key}`;
  }

  async stage(source: Readable, inspect?: Transform): Promise<StagedBlob> {
    const staging = `${this.prefix}tmp/${randomBytes(16).toString('hex')}`;
    const body = new PassThrough();
    const { counter, bytes } = byteCounter();
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: staging, Body: body },
      partSize: PART_BYTES,
      queueSize: PARTS_IN_FLIGHT,
      leavePartsOnError: false,
    });
    // A failure on either side stops the other: a refused upload must not leave the source waiting, nor the reverse.
    const uploaded = upload.done().catch((error: unknown) => {
      body.destroy(error as Error);
      throw error;
    });
    const piped = (inspect ? pipeline(source, inspect, counter, body) : pipeline(source, counter, body)).catch(
      (error: unknown) => {
        void upload.abort().catch(() => {});
        throw error;
      },
    );
    const [pipe, put] = await Promise.allSettled([piped, uploaded]);
    if (pipe.status === 'rejected' || put.status === 'rejected') {
      await this.deleteObject(staging).catch(() => {});
      throw pipe.status === 'rejected' ? pipe.reason : (put as PromiseRejectedResult).reason;
    }
    let settled = false;
    return {
      size: bytes(),
      commit: async (key) => {
        await this.client.send(
          new CopyObjectCommand({
            Bucket: this.bucket,
            Key: this.objectOf(key),
            CopySource: `${this.bucket}/${staging.split('/').map(encodeURIComponent).join('/')}`,
          }),
        );
        settled = true;
        await this.deleteObject(staging).catch(() => {});
      },
      discard: async () => {
        if (!settled) await this.deleteObject(staging);
        settled = true;
      },
    };
  }

  async size(key: string): Promise<number | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectOf(key) }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async open(key: string, range?: ByteRange): Promise<Readable | null> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.objectOf(key),
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      return object.Body as Readable;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await this.deleteObject(this.objectOf(key));
  }

  async sweepStaging(before: number): Promise<number> {
    let removed = 0;
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${this.prefix}tmp/`, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key && object.LastModified && object.LastModified.getTime() < before) {
          await this.deleteObject(object.Key);
          removed += 1;
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return removed;
  }

  async check(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  private async deleteObject(object: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: object }));
  }
}
