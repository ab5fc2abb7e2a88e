// Direct uploads (initiate → PUT to a signed URL → complete), as HighLevel's GCS flow: the signed URL is valid 15
// minutes and caps the size (100 MB for WHATSAPP, else 5 MB, docs/behaviour.md#upload-limits); the bytes are inspected
// as they arrive; complete checks they are there, their size and their type, and makes them a stored file.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Config } from '../config.js';
import type { BlobStore } from '../files/port.js';
import { signature, verifySignature } from '../files/signed-urls.js';
import { ALLOWED_MIME_TYPES } from '../files/sniff.js';
import type { Store } from '../store/database.js';
import type { Executor } from '../store/executor.js';
import { findConversation } from '../store/repositories/conversations.js';
import {
  expireUpload,
  type FileRow,
  findFile,
  findUpload,
  insertFiles,
  insertUpload,
  lockUpload,
  staleUploads,
  type UploadRow,
  updateUpload,
} from '../store/repositories/files.js';
import type { Clock } from './clock.js';
import { DomainError, notFound } from './errors.js';
import { type FileService, newFileId, notAllowedType, safeName, stageInspected, tooLarge } from './files.js';

export const UPLOAD_URL_TTL_MS = 15 * 60 * 1000;
/** An upload whose bytes arrived may still be completed this long after its URL expired. */
const COMPLETE_GRACE_MS = 60 * 60 * 1000;
const SWEEP_BATCH = 20;

export interface InitiateInput {
  locationId: string;
  conversationId: string;
  filename: string;
  contentType: string;
  fileSize?: number;
  channel: string;
}

export interface CompleteInput {
  uploadId: string;
  filePath: string;
  locationId: string;
  conversationId: string;
  filename: string;
}

/** The query of a signed upload URL. */
export interface SignedQuery {
  expires?: string;
  max?: string;
  signature?: string;
}

export const uploadPath = (uploadId: string) => `/files/uploads/${uploadId}`;

const uploadNotFound = (why = 'upload may have failed or URL expired') =>
  new DomainError('NOT_FOUND', `File not found in storage - ${why}`);

type Completion = { file: FileRow } | { refused: DomainError };

export class DirectUploadService {
  constructor(
    private readonly deps: { store: Store; blobs: BlobStore; clock: Clock; config: Config; files: FileService },
  ) {}

  async initiate(locationId: string, input: InitiateInput) {
    const { store, clock, config, files } = this.deps;
    await this.sweep();
    const conversation = await findConversation(store.db, locationId, input.conversationId);
    if (!conversation) throw notFound('Conversation');
    const declared = input.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    if (!ALLOWED_MIME_TYPES.has(declared)) throw notAllowedType(safeName(input.filename) || input.contentType);
    const maxFileSize =
      input.channel.toUpperCase() === 'WHATSAPP' ? config.files.maxWhatsappBytes : config.files.maxFileBytes;
    if (input.fileSize !== undefined && input.fileSize > maxFileSize) throw tooLarge(input.filename, maxFileSize);
    const now = clock.now();
    const uploadId = randomUUID();
    const expiresAt = now + UPLOAD_URL_TTL_MS;
    const ext = /\.[A-Za-z0-9]{1,10}$/.exec(input.filename)?.[0] ?? '';
    const filePath = `location/${locationId}/conversations/${conversation.id}/${uploadId}${ext.toLowerCase()}`;
    const upload: UploadRow = {
      id: uploadId,
      location_id: locationId,
      conversation_id: conversation.id,
      file_path: filePath,
      filename: safeName(input.filename),
      declared_type: declared,
      channel: input.channel,
      max_size: maxFileSize,
      expires_at: expiresAt,
      status: 'pending',
      size: null,
      checksum: null,
      content_type: null,
      file_id: null,
      date_added: now,
      date_updated: now,
    };
    await store.unit(({ db }) => insertUpload(db, upload));
    const signed = { method: 'PUT', path: uploadPath(uploadId), maxBytes: maxFileSize, expiresAt };
    const query = new URLSearchParams({
      expires: String(expiresAt),
      max: String(maxFileSize),
      signature: signature(await files.secret(), signed),
    });
    const uploadUrl = `${files.publicUrl}${uploadPath(uploadId)}?${query}`;
    return { uploadUrl, uploadId, filePath, expiresAt, maxFileSize };
  }

  /**
   * Forgets a few uploads never completed in time, removing their bytes: run as new uploads begin, so the
   * work follows the traffic that causes it.
   */
  private async sweep(): Promise<void> {
    const { store, blobs, clock } = this.deps;
    const now = clock.now();
    try {
      for (const upload of await staleUploads(store.db, now - COMPLETE_GRACE_MS, SWEEP_BATCH)) {
        if (await store.unit(({ db }) => expireUpload(db, upload.id, now))) await blobs.remove(upload.id);
      }
    } catch {
      // Only housekeeping: the next initiate tries again.
    }
  }

  /** The PUT to a signed URL: the signature first, then the bytes, inspected and capped as they stream in. */
  async receive(uploadId: string, query: SignedQuery, declaredLength: number | null, body: Readable): Promise<void> {
    const { store, blobs, clock, files } = this.deps;
    const expiresAt = Number(query.expires);
    const maxBytes = Number(query.max);
    const verdict =
      Number.isSafeInteger(expiresAt) && Number.isSafeInteger(maxBytes)
        ? verifySignature(
            await files.secret(),
            { method: 'PUT', path: uploadPath(uploadId), maxBytes, expiresAt },
            query.signature ?? '',
            clock.now(),
          )
        : 'invalid';
    if (verdict === 'invalid') throw new DomainError('FORBIDDEN', 'The upload URL signature is invalid');
    if (verdict === 'expired') throw new DomainError('FORBIDDEN', 'The upload URL has expired');
    // Checked before any byte is taken, and again under the row lock once they are.
    const pending = await findUpload(store.db, uploadId);
    if (!pending || pending.max_size !== maxBytes || pending.expires_at !== expiresAt) throw uploadNotFound();
    if (!isOpen(pending)) throw alreadyCompleted();
    if (declaredLength !== null && declaredLength > maxBytes) throw tooLarge(pending.filename, maxBytes);
    const { staged, inspection } = await stageInspected(blobs, body, pending.filename, maxBytes);
    let committed = false;
    try {
      await store.unit(async ({ db }) => {
        const upload = await lockUpload(db, uploadId);
        if (!upload) throw uploadNotFound();
        if (!isOpen(upload)) throw alreadyCompleted();
        await updateUpload(db, uploadId, {
          status: 'uploaded',
          size: inspection.size,
          checksum: inspection.checksum,
          content_type: inspection.type?.mime ?? null,
          date_updated: clock.now(),
        });
        // Replaces the bytes of an earlier PUT of the same upload at once.
        await staged.commit(uploadId);
        committed = true;
      });
    } catch (error) {
      // Bytes moved into place by a transaction that then failed describe nothing the row says.
      if (committed) await blobs.remove(uploadId).catch(() => {});
      throw error;
    } finally {
      await staged.discard();
    }
  }

  async complete(locationId: string, input: CompleteInput) {
    const { store, blobs, files } = this.deps;
    const outcome = await store.unit(({ db }) => this.finish(db, locationId, input));
    if ('refused' in outcome) {
      await blobs.remove(input.uploadId).catch(() => {});
      throw outcome.refused;
    }
    const { file } = outcome;
    return {
      uploadedFiles: { [input.filename]: files.urlOf(file) },
      metadata: { size: file.size, contentType: file.content_type, checksum: file.checksum, fileId: file.id },
    };
  }

  /** Completes in one transaction; a refusal is committed (the upload is spent) and thrown once it is. */
  private async finish(db: Executor, locationId: string, input: CompleteInput): Promise<Completion> {
    const { blobs, clock } = this.deps;
    const upload = await lockUpload(db, input.uploadId);
    if (!upload || !matches(upload, locationId, input)) throw uploadNotFound('no such upload');
    if (upload.status === 'completed' && upload.file_id) {
      const file = await findFile(db, upload.file_id);
      if (file) return { file };
    }
    const now = clock.now();
    if (upload.status !== 'uploaded') throw uploadNotFound();
    const refuse = async (refused: DomainError): Promise<Completion> => {
      await updateUpload(db, upload.id, { status: 'rejected', date_updated: now });
      return { refused };
    };
    if (now > upload.expires_at + COMPLETE_GRACE_MS) return refuse(uploadNotFound());
    const size = await blobs.size(upload.id);
    if (size === null || size !== upload.size) return refuse(uploadNotFound());
    if (size > upload.max_size) return refuse(tooLarge(upload.filename, upload.max_size));
    if (!upload.content_type) return refuse(notAllowedType(upload.filename));
    const file: FileRow = {
      id: newFileId(),
      location_id: upload.location_id,
      name: safeName(input.filename) || upload.filename,
      content_type: upload.content_type,
      size,
      checksum: upload.checksum ?? '',
      storage_key: upload.id,
      source: 'direct',
      conversation_id: upload.conversation_id,
      date_added: now,
    };
    await insertFiles(db, [file]);
    await updateUpload(db, upload.id, { status: 'completed', file_id: file.id, date_updated: now });
    return { file };
  }
}

/** An upload still taking bytes: not yet completed, nor refused. */
function isOpen(upload: UploadRow): boolean {
  return upload.status === 'pending' || upload.status === 'uploaded';
}

const alreadyCompleted = () => new DomainError('CONFLICT', 'The upload is already completed');

function matches(upload: UploadRow, locationId: string, input: CompleteInput): boolean {
  return (
    upload.location_id === locationId &&
    upload.file_path === input.filePath &&
    upload.conversation_id === input.conversationId
  );
}
