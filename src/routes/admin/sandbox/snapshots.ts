// Snapshots of a location (docs/sandbox.md#snapshots): taken as a streamed gzip file, restored from one with the
// same ids.
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { tooLarge } from '../../../domain/sandbox/snapshot/format.js';
import { spool } from '../../../domain/sandbox/snapshot/spool.js';
import type { Services } from '../../../services.js';
import type { Route } from '../../route.js';
import { admin, type ByLocation, locationParams } from './shared.js';

export function sandboxSnapshotRoutes({ sandbox, config }: Services): Route[] {
  const { saver, loader } = sandbox.snapshots;
  const maxBytes = config.sandbox.snapshotMaxBytes;
  return [
    {
      method: 'GET',
      url: '/admin/v1/locations/:locationId/snapshot',
      access: admin,
      schema: { params: locationParams },
      handler: async (request: ByLocation, reply: FastifyReply) => {
        const { locationId } = request.params;
        const body = await saver.save(locationId);
        return reply
          .type('application/gzip')
          .header('content-disposition', `attachment; filename="${locationId}.snapshot.gz"`)
          .send(body);
      },
    },
    {
      method: 'POST',
      url: '/admin/v1/snapshots',
      access: admin,
      accepts: 'raw',
      schema: {
        querystring: {
          type: 'object',
          properties: { replace: { type: 'boolean' } },
          additionalProperties: false,
        },
      },
      handler: async (request: FastifyRequest<{ Querystring: { replace?: boolean } }>, reply: FastifyReply) => {
        const declared = Number(request.headers['content-length']);
        if (Number.isSafeInteger(declared) && declared > maxBytes) throw tooLarge(maxBytes);
        const upload = await spool(request.body instanceof Readable ? request.body : request.raw, maxBytes);
        try {
          const result = await loader.load(upload.file, { replace: request.query.replace === true });
          return reply.code(201).send(result);
        } finally {
          await upload.remove();
        }
      },
    },
  ];
}
