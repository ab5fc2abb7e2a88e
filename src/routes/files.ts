// Stored files served back at their unguessable URLs (the URL is the capability: no token, as email recipients and
// providers fetch them), and the signed PUT of direct uploads.
import { finished, PassThrough, type Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SignedQuery } from '../domain/direct-uploads.js';
import { notFound } from '../domain/errors.js';
import { contentDisposition, sendFileStream } from '../http/file-reply.js';
import type { Services } from '../services.js';
import type { Route } from './route.js';

const publicAccess = { kind: 'public' } as const;
/** Shown in the browser; everything else downloads. */
const INLINE = /^(image|audio|video)\/|^application\/pdf$|^text\/plain$/;
const segment = { type: 'string', minLength: 1, maxLength: 512 };
const signedValue = { type: 'string', maxLength: 128 };

/**
 * The unparsed body (see app.ts) as a stream of its own: refusing it mid-way destroys this copy, not the request,
 * so the refusal still reaches the client; a request cut short fails the copy.
 */
function bodyOf(request: FastifyRequest): Readable {
  const body = new PassThrough();
  finished(request.raw, (error) => {
    if (error) body.destroy(error);
  });
  return request.raw.pipe(body);
}

export function fileRoutes({ files, directUploads }: Services): Route[] {
  return [
    {
      method: 'GET',
      url: '/files/:fileId/:name',
      access: publicAccess,
      schema: {
        params: { type: 'object', required: ['fileId', 'name'], properties: { fileId: segment, name: segment } },
      },
      handler: async (request: FastifyRequest<{ Params: { fileId: string } }>, reply: FastifyReply) => {
        const file = await files.findFile(request.params.fileId);
        if (!file) throw notFound('File');
        // The bytes behind an id never change: a matching ETag needs no body.
        const etag = `"${file.checksum}"`;
        const cache = { etag, 'cache-control': 'public, max-age=31536000, immutable' };
        if (request.headers['if-none-match'] === etag) return reply.code(304).headers(cache).send();
        const stream = await files.openFile(file, request.headers.range);
        if (!stream) throw notFound('File');
        const type = file.content_type.startsWith('text/') ? `${file.content_type}; charset=utf-8` : file.content_type;
        return sendFileStream(reply, stream, {
          ...cache,
          'content-type': type,
          'content-disposition': contentDisposition(
            INLINE.test(file.content_type) ? 'inline' : 'attachment',
            file.name,
          ),
        });
      },
    },
    {
      method: 'PUT',
      url: '/files/uploads/:uploadId',
      access: publicAccess,
      accepts: 'raw',
      schema: {
        params: { type: 'object', required: ['uploadId'], properties: { uploadId: { type: 'string', maxLength: 64 } } },
        querystring: {
          type: 'object',
          properties: { expires: signedValue, max: signedValue, signature: signedValue },
        },
      },
      handler: async (
        request: FastifyRequest<{ Params: { uploadId: string }; Querystring: SignedQuery }>,
        reply: FastifyReply,
      ) => {
        const length = Number(request.headers['content-length']);
        await directUploads.receive(
          request.params.uploadId,
          request.query,
          Number.isSafeInteger(length) ? length : null,
          bodyOf(request),
        );
        return reply.code(200).send();
      },
    },
  ];
}
