// Uploading message attachments (POST /conversations/messages/upload): files of the request and files fetched from
// attachmentUrls become stored files of the conversation, all or none, within the limits of
// docs/behaviour.md#upload-limits.
import type { Readable } from 'node:stream';
import type { Store } from '../store/database.js';
import { findConversation } from '../store/repositories/conversations.js';
import { DomainError, notFound } from './errors.js';
import { type Candidate, discardAll, type FileService } from './files.js';
import { jsonNestsDeeperThan } from './json-depth.js';

/** One part of an upload request, as the transport hands it over: a text field or a file streaming in. */
export type UploadPart =
  | { kind: 'field'; name: string; value: string }
  | { kind: 'file'; field: string; filename: string; stream: Readable };

export interface UploadLimits {
  maxFileBytes: number;
  maxFiles: number;
}

interface UploadFields {
  conversationId: string;
  contactId?: string;
  attachmentUrls: string[];
  isGroupSms: boolean;
}

const FILE_FIELDS = new Set(['fileAttachment', 'fileAttachment[]']);
const URL_FIELD = /^attachmentUrls(\[\d*\])?$/;
const MAX_FIELD_LENGTH = 2048;

function forbidden(): DomainError {
  return new DomainError('LOCATION_FORBIDDEN', 'The token does not have access to this location.');
}

/** attachmentUrls as repeated fields, `attachmentUrls[]`, or one field holding a JSON array. */
function urlsOf(values: string[]): string[] {
  const urls: string[] = [];
  for (const value of values) {
    const trimmed = value.trim();
    if (trimmed === '') continue;
    if (!trimmed.startsWith('[')) {
      urls.push(trimmed);
      continue;
    }
    let parsed: unknown;
    try {
      // An array of strings nests one level: anything deeper is refused before it is parsed.
      if (jsonNestsDeeperThan(trimmed, 1)) throw new SyntaxError('nested too deep');
      parsed = JSON.parse(trimmed);
    } catch {
      throw new DomainError('VALIDATION_FAILED', ['attachmentUrls must be an array of URLs']);
    }
    if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
      throw new DomainError('VALIDATION_FAILED', ['attachmentUrls must be an array of URLs']);
    }
    urls.push(...parsed.map((item) => item.trim()).filter(Boolean));
  }
  return urls;
}

function readFields(fields: Map<string, string[]>): UploadFields {
  const one = (name: string) => fields.get(name)?.at(-1);
  const problems: string[] = [];
  for (const [name, values] of fields) {
    if (values.some((value) => value.length > MAX_FIELD_LENGTH)) {
      problems.push(`${name} must be shorter than or equal to ${MAX_FIELD_LENGTH} characters`);
    }
    // The JSON pipeline refuses NUL in every field; multipart fields arrive past it, so the same rule is kept here.
    if (values.some((value) => value.includes('\u0000'))) problems.push(`${name} must not contain NUL characters`);
  }
  const conversationId = one('conversationId');
  if (!conversationId) problems.push('conversationId should not be empty');
  if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', problems);
  const urls = urlsOf([...fields.entries()].filter(([name]) => URL_FIELD.test(name)).flatMap(([, values]) => values));
  const contactId = one('contactId');
  return {
    conversationId: conversationId as string,
    ...(contactId ? { contactId } : {}),
    attachmentUrls: urls,
    isGroupSms: one('isGroupSms')?.toLowerCase() === 'true',
  };
}

/** Names in the answer's map are unique: a repeated name gets a counter, as a desktop does. */
function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 2; taken.has(candidate); n += 1) candidate = `${stem} (${n})${ext}`;
  taken.add(candidate);
  return candidate;
}

export class UploadService {
  constructor(private readonly deps: { store: Store; files: FileService; limits: UploadLimits }) {}

  /**
   * Takes the parts as they stream in: files are inspected on the way to staging, so a file that is too large or
   * of a refused type stops the request at once. Every staged file is discarded on any failure.
   */
  async upload(
    locationId: string,
    parts: AsyncIterable<UploadPart>,
  ): Promise<{ uploadedFiles: Record<string, string> }> {
    const { files, store } = this.deps;
    const { maxFileBytes, maxFiles } = this.deps.limits;
    const fields = new Map<string, string[]>();
    const candidates: Candidate[] = [];
    try {
      for await (const part of parts) {
        if (part.kind === 'field') {
          if (part.name === 'locationId' && part.value !== locationId) throw forbidden();
          fields.set(part.name, [...(fields.get(part.name) ?? []), part.value]);
          continue;
        }
        if (!FILE_FIELDS.has(part.field)) {
          part.stream.resume();
          throw new DomainError('BAD_REQUEST', `Unexpected file field ${part.field}: files go in fileAttachment`);
        }
        if (candidates.length >= maxFiles) {
          part.stream.resume();
          throw tooMany(maxFiles);
        }
        candidates.push(await files.stage(part.stream, part.filename, maxFileBytes));
      }
      const request = readFields(fields);
      const allowed = request.isGroupSms ? 1 : maxFiles;
      const count = candidates.length + request.attachmentUrls.length;
      if (count > allowed) throw request.isGroupSms ? groupSmsLimit() : tooMany(maxFiles);
      if (count === 0)
        throw new DomainError('BAD_REQUEST', 'No files to upload: send fileAttachment or attachmentUrls');
      const conversation = await findConversation(store.db, locationId, request.conversationId);
      if (!conversation) throw notFound('Conversation');
      if (request.contactId && request.contactId !== conversation.contact_id) {
        throw new DomainError('BAD_REQUEST', 'contactId does not match the conversation');
      }
      for (const [index, url] of request.attachmentUrls.entries()) {
        candidates.push(await files.stageUrl(url, `attachmentUrls[${index}]`, maxFileBytes));
      }
      const rows = await files.persist(locationId, conversation.id, candidates, 'upload');
      const taken = new Set<string>();
      return { uploadedFiles: Object.fromEntries(rows.map((row) => [uniqueName(row.name, taken), files.urlOf(row)])) };
    } catch (error) {
      await discardAll(candidates);
      throw error;
    }
  }
}

function tooMany(maxFiles: number): DomainError {
  return new DomainError('PAYLOAD_TOO_LARGE', `Too many files: at most ${maxFiles} per request`);
}

function groupSmsLimit(): DomainError {
  return new DomainError('PAYLOAD_TOO_LARGE', 'Group SMS uploads take one file per request');
}
