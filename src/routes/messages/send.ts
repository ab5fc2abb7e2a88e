// Sending and recording messages: send (with Idempotency-Key), inbound, and external outbound call logs.
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '../../domain/idempotency.js';
import { SEND_TYPES } from '../../domain/message-types.js';
import type { OutboundCallInput, ProcessInput } from '../../domain/messages/inbound.js';
import type { SendInput } from '../../domain/messages/send.js';
import { requestSchemas } from '../../http/openapi.js';
import { authOf } from '../../http/pipeline.js';
import type { Services } from '../../services.js';
import { type Route, schemaFrom } from '../route.js';

const write = { kind: 'location', scope: 'conversations/message.write' } as const;
const addressList = { type: 'array', items: { type: 'string', maxLength: 320 }, maxItems: 50 };
const attachments = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 2048 }, maxItems: 20 };
const callData = {
  type: 'object',
  properties: {
    to: { type: 'string', maxLength: 32 },
    from: { type: 'string', maxLength: 32 },
    status: {
      type: 'string',
      enum: ['pending', 'completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled', 'voicemail'],
    },
  },
};

function idempotencyKey(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new DomainError('VALIDATION_FAILED', [
      `Idempotency-Key must be a single value of 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
    ]);
  }
  return key;
}

export function sendRoutes({ messages }: Services): Route[] {
  return [
    {
      method: 'POST',
      url: '/conversations/messages',
      access: write,
      schema: schemaFrom(requestSchemas('conversations', 'send-a-new-message'), {
        // Lenient where real clients rely on it (docs/behaviour.md#lenient-inputs): subType and status are optional.
        body: {
          required: ['type', 'contactId'],
          properties: {
            type: { type: 'string', enum: Object.keys(SEND_TYPES) },
            // The spec types it an object; clients send a string too (mergeSchema would keep a bare `{}`'s base type).
            subType: { type: ['object', 'string'] },
            contactId: { type: 'string', minLength: 1, maxLength: 64 },
            message: { type: 'string', maxLength: 100_000 },
            html: { type: 'string', maxLength: 1_000_000 },
            subject: { type: 'string', maxLength: 1000 },
            attachments,
            emailCc: addressList,
            emailBcc: addressList,
            scheduledTimestamp: { type: 'integer', minimum: 0 },
            userId: { type: 'string', maxLength: 64 },
            mentions: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 64 }, maxItems: 100 },
          },
        },
      }),
      handler: async (request: FastifyRequest<{ Body: SendInput }>) =>
        messages.send(authOf(request).locationId, request.body, idempotencyKey(request)),
    },
    {
      method: 'POST',
      url: '/conversations/messages/inbound',
      access: write,
      schema: schemaFrom(requestSchemas('conversations', 'add-an-inbound-message'), {
        // Inbound needs contactId or conversationId, not both (docs/behaviour.md#lenient-inputs).
        body: {
          required: ['type'],
          properties: {
            direction: { type: 'string', enum: ['inbound', 'outbound'], default: 'inbound' },
            message: { type: 'string', maxLength: 100_000 },
            html: { type: 'string', maxLength: 1_000_000 },
            attachments,
            emailCc: addressList,
            emailBcc: addressList,
            call: callData,
          },
        },
      }),
      handler: async (request: FastifyRequest<{ Body: ProcessInput }>) =>
        messages.inbound(authOf(request).locationId, request.body, authOf(request).appId),
    },
    {
      method: 'POST',
      url: '/conversations/messages/outbound',
      access: write,
      schema: schemaFrom(requestSchemas('conversations', 'add-an-outbound-message'), {
        body: { required: ['type', 'conversationId'], properties: { attachments, call: callData } },
      }),
      handler: async (request: FastifyRequest<{ Body: OutboundCallInput }>) =>
        messages.outboundCall(authOf(request).locationId, request.body, authOf(request).appId),
    },
  ];
}
