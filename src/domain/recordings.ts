// Call recordings: a call message's recording is the first stored audio file among its attachments (set by the
// call's inbound/outbound log, attachments-replace, or an upload attached to it), else its first remote attachment,
// fetched under the same rules as attachmentUrls and streamed through (docs/behaviour.md#recordings).
import { pipeline } from 'node:stream';
import { limitBytes } from '../files/inspect.js';
import { fetchRemote } from '../files/remote.js';
import { isAudio } from '../files/sniff.js';
import type { Store } from '../store/database.js';
import type { FileRow } from '../store/repositories/files.js';
import { findMessage, type MessageRow } from '../store/repositories/messages.js';
import { DomainError, notFound } from './errors.js';
import type { FileService, FileStream } from './files.js';

/** Call, campaign call, voicemail, manual campaign call, IVR call and custom (provider) call. */
export const CALL_TYPES: ReadonlySet<number> = new Set([1, 8, 10, 13, 24, 34]);

export function recordingNotFound(message = 'Recording not found for this message'): DomainError {
  return new DomainError('RECORDING_NOT_FOUND', message, { canonicalCode: 'CONVERSATIONS_MSG_RECORDING_NOT_FOUND' });
}

export type RecordingSource = { kind: 'stored'; file: FileRow } | { kind: 'remote'; url: string };

export interface OpenRecording {
  stream: FileStream;
  /** The recording's own content type, when known. */
  contentType: string;
}

export class RecordingService {
  constructor(private readonly deps: { store: Store; files: FileService; maxRemoteBytes: number }) {}

  async callMessage(locationId: string, messageId: string): Promise<MessageRow> {
    const message = await findMessage(this.deps.store.db, locationId, messageId);
    if (!message) throw notFound('Message');
    return message;
  }

  async locate(message: MessageRow): Promise<RecordingSource | null> {
    if (!CALL_TYPES.has(message.type)) return null;
    let remote: string | null = null;
    for (const url of message.attachments) {
      const own = await this.deps.files.ownFile(url);
      if (own) {
        if (isAudio(own.content_type)) return { kind: 'stored', file: own };
      } else if (!remote && /^https?:\/\//i.test(url)) {
        remote = url;
      }
    }
    return remote ? { kind: 'remote', url: remote } : null;
  }

  /** The message's recording, whole or the range asked for. */
  async open(locationId: string, messageId: string, range?: string): Promise<OpenRecording> {
    const source = await this.locate(await this.callMessage(locationId, messageId));
    if (!source) throw recordingNotFound();
    if (source.kind === 'stored') {
      const stream = await this.deps.files.openFile(source.file, range);
      if (!stream) throw recordingNotFound();
      return { stream, contentType: source.file.content_type };
    }
    const { files, maxRemoteBytes } = this.deps;
    let remote: Awaited<ReturnType<typeof fetchRemote>>;
    try {
      remote = await fetchRemote(source.url, files.fetchPolicy, range ? { range } : {});
    } catch (error) {
      throw recordingNotFound(`Recording could not be fetched: ${(error as Error).message}`);
    }
    if (remote.contentLength !== null && remote.contentLength > maxRemoteBytes) {
      remote.body.destroy();
      throw recordingNotFound('Recording is larger than this server proxies');
    }
    const body = pipeline(remote.body, limitBytes(maxRemoteBytes), () => {});
    const partial = remote.status === 206 && remote.contentRange !== null;
    return {
      stream: {
        status: partial ? 206 : 200,
        body,
        length: remote.contentLength,
        contentRange: partial ? remote.contentRange : null,
      },
      contentType: remote.contentType ?? 'application/octet-stream',
    };
  }
}
