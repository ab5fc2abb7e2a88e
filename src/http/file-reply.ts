// Answering with a file's bytes: status 200 or 206, exact Content-Length and Content-Range, and headers that keep
// a browser from treating stored bytes as anything but what they were stored as.
import type { FastifyReply } from 'fastify';
import { DomainError } from '../domain/errors.js';
import type { FileStream } from '../domain/files.js';

export function sendFileStream(reply: FastifyReply, stream: FileStream, headers: Record<string, string>) {
  if (stream.status === 416) {
    reply.header('content-range', `bytes */${stream.size}`);
    throw new DomainError('RANGE_NOT_SATISFIABLE', 'Range Not Satisfiable');
  }
  reply.code(stream.status).headers({
    'accept-ranges': 'bytes',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    ...headers,
  });
  if (stream.length !== null) reply.header('content-length', stream.length);
  if (stream.contentRange) reply.header('content-range', stream.contentRange);
  return reply.send(stream.body);
}

/** `attachment` or `inline` with the file's name, ASCII-safe in `filename` and exact in `filename*` (RFC 6266). */
export function contentDisposition(kind: 'attachment' | 'inline', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
