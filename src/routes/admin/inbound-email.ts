// Operators hand Switchboard an email it received elsewhere (a mail provider's inbound webhook, a mailbox poller):
// the raw RFC 822 message as the body, recorded as an inbound Email message of the location, threaded like one the
// SMTP listener takes in.
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { MAX_INBOUND_EMAIL_BYTES, parseEmail } from '../../mail/parse.js';
import type { Services } from '../../services.js';
import type { Route } from '../route.js';

async function readBody(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > MAX_INBOUND_EMAIL_BYTES) {
      body.destroy();
      throw new DomainError('PAYLOAD_TOO_LARGE', `The email exceeds ${MAX_INBOUND_EMAIL_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function adminInboundEmailRoutes({ inboundEmail }: Services): Route[] {
  return [
    {
      method: 'POST',
      url: '/admin/v1/locations/:locationId/inbound-email',
      access: { kind: 'admin' },
      accepts: 'raw',
      schema: {
        params: {
          type: 'object',
          properties: { locationId: { type: 'string', minLength: 1, maxLength: 64 } },
          required: ['locationId'],
        },
      },
      handler: async (request: FastifyRequest<{ Params: { locationId: string } }>, reply: FastifyReply) => {
        const declared = Number(request.headers['content-length']);
        if (Number.isSafeInteger(declared) && declared > MAX_INBOUND_EMAIL_BYTES) {
          throw new DomainError('PAYLOAD_TOO_LARGE', `The email exceeds ${MAX_INBOUND_EMAIL_BYTES} bytes`);
        }
        const raw = await readBody(request.body instanceof Readable ? request.body : request.raw);
        if (raw.length === 0) throw new DomainError('BAD_REQUEST', 'The body must be a raw RFC 822 email');
        const result = await inboundEmail.receive(request.params.locationId, await parseEmail(raw));
        return reply.code(result.outcome === 'duplicate' ? 200 : 201).send({ success: true, ...result });
      },
    },
  ];
}
