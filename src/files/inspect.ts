// A pass-through that inspects a file while it streams to storage: its size (refused past the limit, so an
// oversized file stops as soon as it shows), SHA-256, first bytes and what the content is (see sniff.ts).
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { type ContentEvidence, detectType, type FileType } from './sniff.js';

const HEAD_BYTES = 4096;
const WORD_ENTRY = Buffer.from('word/', 'latin1');
const WORD_STREAM = Buffer.from('WordDocument', 'utf16le');
const OVERLAP = Math.max(WORD_ENTRY.length, WORD_STREAM.length) - 1;

export class FileTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`file is larger than ${limit} bytes`);
    this.name = 'FileTooLargeError';
  }
}

export interface Inspection {
  size: number;
  checksum: string;
  /** The allowed type the content is, or null when it is none of them. */
  type: FileType | null;
}

/** Control characters other than tab, line feed, form feed and carriage return mark binary content. */
function hasControlCharacters(chunk: Buffer): boolean {
  for (const byte of chunk) {
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) || byte === 0x7f) {
      return true;
    }
  }
  return false;
}

export class ContentInspector extends Transform {
  private size = 0;
  private readonly hash = createHash('sha256');
  private readonly headChunks: Buffer[] = [];
  private headLength = 0;
  private textual = true;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private tail = Buffer.alloc(0);
  private wordEntry = false;
  private wordStream = false;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.limit) {
      callback(new FileTooLargeError(this.limit));
      return;
    }
    this.hash.update(chunk);
    if (this.headLength < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.headLength);
      this.headChunks.push(part);
      this.headLength += part.length;
    }
    this.scan(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.textual) {
      try {
        this.decoder.decode();
      } catch {
        this.textual = false;
      }
    }
    callback();
  }

  private scan(chunk: Buffer): void {
    if (this.textual) {
      try {
        this.decoder.decode(chunk, { stream: true });
        if (hasControlCharacters(chunk)) this.textual = false;
      } catch {
        this.textual = false;
      }
    }
    if (this.wordEntry && this.wordStream) return;
    const window = Buffer.concat([this.tail, chunk]);
    if (!this.wordEntry && window.includes(WORD_ENTRY)) this.wordEntry = true;
    if (!this.wordStream && window.includes(WORD_STREAM)) this.wordStream = true;
    this.tail = Buffer.from(window.subarray(Math.max(0, window.length - OVERLAP)));
  }

  /** What the content was; valid once the stream has ended. */
  result(): Inspection {
    const evidence: ContentEvidence = {
      head: Buffer.concat(this.headChunks),
      textual: this.textual,
      wordEntry: this.wordEntry,
      wordStream: this.wordStream,
    };
    return { size: this.size, checksum: this.hash.digest('hex'), type: detectType(evidence) };
  }
}

/** A pass-through that fails once more than `limit` bytes have gone through (a proxied remote file). */
export function limitBytes(limit: number): Transform {
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      callback(size > limit ? new FileTooLargeError(limit) : null, chunk);
    },
  });
}
