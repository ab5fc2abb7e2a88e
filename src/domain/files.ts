// Stored files: taking bytes in (inspected while they stream, refused by content and size), committing them with
// their database rows all or none, and handing them back at their unguessable public URLs.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { customAlphabet } from 'nanoid';
import type { Config } from '../config.js';
import { ContentInspector, FileTooLargeError, type Inspection } from '../files/inspect.js';
import type { BlobStore, StagedBlob } from '../files/port.js';
import { parseRange } from '../files/range.js';
import { type FetchPolicy, fetchRemote, RemoteFetchError } from '../files/remote.js';
import { enqueueBlobCollection } from '../jobs/collect-blob.js';
import type { Store } from '../store/database.js';
import { type FileRow, findFile, insertFiles } from '../store/repositories/files.js';
import { getSetting, putSettingIfAbsent } from '../store/repositories/tokens.js';
import type { Clock } from './clock.js';
import { DomainError } from './errors.js';

/** 32 base62 characters, about 190 random bits: a file's URL cannot be guessed. */
export const newFileId: () => string = customAlphabet(
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  32,
);
const FILE_ID = /^[0-9A-Za-z]{32}$/;
const SIGNING_SECRET_SETTING = 'file_signing_secret';
const MAX_NAME_LENGTH = 200;
/** Under the router's longest path parameter (200). */
const MAX_URL_SEGMENT = 180;
/** Longer than any transaction that makes files takes: a blob still without its file by then is an orphan. */
export const ORPHAN_GRACE_MS = 60 * 60 * 1000;

/** Bytes taken in and inspected, not yet a file: committed by persist, or discarded. */
export interface Candidate {
  name: string;
  staged: StagedBlob;
  inspection: Inspection;
}

/** A stored file's bytes, whole or a range, ready to stream; or a range the file cannot satisfy. */
export type FileStream =
  | { status: 200 | 206; body: Readable; length: number | null; contentRange: string | null }
  | { status: 416; size: number };

export interface FileServiceDeps {
  store: Store;
  blobs: BlobStore;
  clock: Clock;
  config: Config;
}

/** A file name safe to show and to put in a header: its last path segment, no control characters, bounded. */
export function safeName(raw: string): string {
  const base = (raw.split(/[\\/]/).at(-1) ?? '').replace(/[\p{Cc}"]/gu, '').trim();
  if (base.length <= MAX_NAME_LENGTH) return base;
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 && base.length - dot <= 16 ? base.slice(dot) : '';
  return base.slice(0, MAX_NAME_LENGTH - ext.length) + ext;
}

/** The URL's last segment, for people and their downloads: the name, shortened to what a path segment carries. */
function urlSegment(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  let stem = [...name.slice(0, name.length - ext.length)];
  while (stem.length > 1 && encodeURIComponent(stem.join('') + ext).length > MAX_URL_SEGMENT) stem = stem.slice(0, -1);
  return encodeURIComponent(stem.join('') + ext);
}

const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 100) / 100} MB`;

export function tooLarge(name: string, limit: number): DomainError {
  return new DomainError('PAYLOAD_TOO_LARGE', `File ${name} exceeds the maximum size of ${megabytes(limit)}`);
}

export function notAllowedType(name: string): DomainError {
  return new DomainError(
    'UNSUPPORTED_MEDIA_TYPE',
    `File ${name} is not an allowed file type (JPG, JPEG, PNG, MP4, MPEG, ZIP, RAR, PDF, DOC, DOCX, TXT, MP3, WAV)`,
  );
}

export class FileService {
  private signingSecret: Promise<string> | null = null;
  private lastStagingSweep = 0;

  constructor(private readonly deps: FileServiceDeps) {}

  get fetchPolicy(): FetchPolicy {
    const { files } = this.deps.config;
    return { allowedHosts: new Set(files.fetchAllowedHosts), timeoutMs: files.fetchTimeoutMs };
  }

  /** Read at each call: with PORT=0 the public URL is known only once the server listens. */
  get publicUrl(): string {
    return this.deps.config.publicUrl;
  }

  urlOf(file: Pick<FileRow, 'id' | 'name'>): string {
    return `${this.publicUrl}/files/${file.id}/${urlSegment(file.name)}`;
  }

  /** The stored file a URL of this server names, if it names one. */
  async ownFile(url: string): Promise<FileRow | undefined> {
    const prefix = `${this.publicUrl}/files/`;
    if (!url.startsWith(prefix)) return undefined;
    const id = url.slice(prefix.length).split(/[/?#]/)[0] ?? '';
    return FILE_ID.test(id) ? findFile(this.deps.store.db, id) : undefined;
  }

  async findFile(id: string): Promise<FileRow | undefined> {
    return FILE_ID.test(id) ? findFile(this.deps.store.db, id) : undefined;
  }

  /**
   * Streams a file's bytes into staging, inspecting them on the way: past `limit` bytes it stops at once (413), and
   * content that is none of the allowed types is refused (415). Either way nothing stays behind.
   */
  async stage(source: Readable, name: string, limit: number): Promise<Candidate> {
    this.sweepStaging();
    const { staged, inspection } = await stageInspected(this.deps.blobs, source, name, limit);
    if (!inspection.type) {
      await staged.discard();
      throw notAllowedType(name);
    }
    return { name: safeName(name) || `file.${inspection.type.ext}`, staged, inspection };
  }

  /** Copies a file from a URL: a stored file of this server from the store, anything else over the network. */
  async stageUrl(url: string, label: string, limit: number): Promise<Candidate> {
    const own = await this.ownFile(url);
    if (own) {
      const body = await this.deps.blobs.open(own.storage_key);
      if (!body) throw new DomainError('BAD_REQUEST', `${label} names a file that is no longer stored`);
      return this.stage(body, own.name, limit);
    }
    try {
      const remote = await fetchRemote(url, this.fetchPolicy, { deadlineMs: this.fetchPolicy.timeoutMs });
      if (remote.contentLength !== null && remote.contentLength > limit) {
        remote.body.destroy();
        throw tooLarge(remote.name || label, limit);
      }
      return await this.stage(remote.body, remote.name, limit);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      if (error instanceof RemoteFetchError && error.reason === 'refused') {
        throw new DomainError('BAD_REQUEST', `${label} ${error.message}`);
      }
      throw new DomainError('BAD_REQUEST', `${label} could not be fetched: ${(error as Error).message}`);
    }
  }

  /**
   * Makes candidates files of the location, all or none: the rows are inserted and the blobs moved into place in
   * one transaction; if anything fails, the blobs already moved are removed and the rest discarded.
   */
  async persist(
    locationId: string,
    conversationId: string | null,
    candidates: Candidate[],
    source: 'upload' | 'url',
  ): Promise<FileRow[]> {
    const now = this.deps.clock.now();
    const rows: FileRow[] = candidates.map(({ name, inspection }) => {
      const id = newFileId();
      return {
        id,
        location_id: locationId,
        name,
        content_type: inspection.type?.mime ?? 'application/octet-stream',
        size: inspection.size,
        checksum: inspection.checksum,
        storage_key: id,
        source,
        conversation_id: conversationId,
        date_added: now,
      };
    });
    const committed: string[] = [];
    // Queued first, on its own: should the transaction fail in a way that leaves a blob behind (the server dies
    // before it can clean up), the blob is collected once the transaction is surely over.
    const blobs = rows.map((row) => ({ locationId, key: row.storage_key }));
    await this.deps.store.unit(({ db }) => enqueueBlobCollection(db, blobs, now + ORPHAN_GRACE_MS, now));
    try {
      await this.deps.store.unit(async ({ db }) => {
        await insertFiles(db, rows);
        for (const [index, candidate] of candidates.entries()) {
          const key = rows[index]?.storage_key as string;
          await candidate.staged.commit(key);
          committed.push(key);
        }
      });
    } catch (error) {
      await discardAll(candidates);
      await Promise.all(committed.map((key) => this.deps.blobs.remove(key).catch(() => {})));
      throw error;
    }
    return rows;
  }

  /**
   * Removes staged bytes a crash left (older than the grace), at most once per grace period and off the request's
   * path: the work follows the traffic that causes it.
   */
  private sweepStaging(): void {
    const now = this.deps.clock.now();
    if (now - this.lastStagingSweep < ORPHAN_GRACE_MS) return;
    this.lastStagingSweep = now;
    this.deps.blobs.sweepStaging(Date.now() - ORPHAN_GRACE_MS).catch(() => {
      this.lastStagingSweep = 0;
    });
  }

  /** A stored file's bytes for an HTTP answer, honouring a Range header. */
  async openFile(file: FileRow, rangeHeader: string | undefined): Promise<FileStream | null> {
    const request = parseRange(rangeHeader, file.size);
    if (request.kind === 'unsatisfiable') return { status: 416, size: file.size };
    if (request.kind === 'whole') {
      const body = await this.deps.blobs.open(file.storage_key);
      return body && { status: 200, body, length: file.size, contentRange: null };
    }
    const { start, end } = request.range;
    const body = await this.deps.blobs.open(file.storage_key, request.range);
    return body && { status: 206, body, length: end - start + 1, contentRange: `bytes ${start}-${end}/${file.size}` };
  }

  /** The HMAC key of signed upload URLs: configured, or generated once and kept in the database. */
  secret(): Promise<string> {
    const configured = this.deps.config.files.signingSecret;
    if (configured) return Promise.resolve(configured);
    this.signingSecret ??= (async () => {
      const { store } = this.deps;
      await store.unit(({ db }) => putSettingIfAbsent(db, SIGNING_SECRET_SETTING, randomBytes(32).toString('hex')));
      const stored = await getSetting(store.db, SIGNING_SECRET_SETTING);
      if (!stored) throw new DomainError('INTERNAL', 'file signing secret is missing');
      return stored;
    })().catch((error) => {
      this.signingSecret = null;
      throw error;
    });
    return this.signingSecret;
  }
}

/** Streams bytes into staging through an inspector; a file too large or a source cut short is the client's fault. */
export async function stageInspected(
  blobs: BlobStore,
  source: Readable,
  name: string,
  limit: number,
): Promise<{ staged: StagedBlob; inspection: Inspection }> {
  const inspector = new ContentInspector(limit);
  try {
    const staged = await blobs.stage(source, inspector);
    return { staged, inspection: inspector.result() };
  } catch (error) {
    if (error instanceof FileTooLargeError) throw tooLarge(name, limit);
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (source.errored || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET') {
      throw new DomainError('BAD_REQUEST', `File ${name} was cut short before it was complete`);
    }
    throw error;
  }
}

export async function discardAll(candidates: Candidate[]): Promise<void> {
  await Promise.all(candidates.map((candidate) => candidate.staged.discard().catch(() => {})));
}
