// Email operations: get one email of a thread, a custom provider's status report, and cancelling a scheduled email. The
// spec lists no Version parameter for get and cancel, so those two accept a missing one
// (docs/behaviour.md#version-header).
import type { FastifyRequest } from 'fastify';
import type { EmailStatusReport } from '../../domain/messages/email.js';
import { requestSchemas } from '../../http/openapi.js';
import { authOf } from '../../http/pipeline.js';
import { presentEmail } from '../../presenters/emails.js';
import type { Services } from '../../services.js';
import { type Route, schemaFrom } from '../route.js';

const read = { kind: 'location', scope: 'conversations/message.readonly' } as const;
const write = { kind: 'location', scope: 'conversations/message.write' } as const;
/** Counters are non-negative increments; provider counters are snake_case names, a bounded set of them. */
const counter = { type: 'integer', minimum: 0, maximum: 1_000_000_000 };
const COUNTERS = ['delivered', 'opened', 'clicked', 'replied', 'failed', 'accepted', 'rejected', 'unsubscribed'];
const events = {
  type: 'object',
  maxProperties: 50,
  propertyNames: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$' },
  properties: Object.fromEntries([...COUNTERS, 'complained', 'stored'].map((name) => [name, counter])),
  additionalProperties: counter,
};

type ById = FastifyRequest<{ Params: { id: string } }>;

export function emailRoutes({ emails }: Services): Route[] {
  return [
    {
      method: 'GET',
      url: '/conversations/messages/email/:id',
      access: { ...read, versionOptional: true },
      // The spec declares no parameters for this operation: the path's own id.
      schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } },
      handler: async (request: ById) => presentEmail(await emails.get(authOf(request).locationId, request.params.id)),
    },
    {
      method: 'PUT',
      url: '/conversations/messages/email/:id/status',
      access: write,
      schema: schemaFrom(requestSchemas('conversations', 'update-email-message-status'), {
        body: {
          properties: {
            events,
            recipients: {
              type: 'array',
              maxItems: 100,
              items: {
                type: 'object',
                properties: {
                  emailId: { type: 'string', minLength: 1, maxLength: 320 },
                  failReason: { type: 'string', maxLength: 1000 },
                },
              },
            },
          },
        },
      }),
      handler: async (request: FastifyRequest<{ Params: { id: string }; Body: EmailStatusReport }>) =>
        emails.updateStatus(authOf(request).locationId, request.params.id, request.body, authOf(request).appId),
    },
    {
      method: 'DELETE',
      url: '/conversations/messages/email/:emailMessageId/schedule',
      access: { ...write, versionOptional: true },
      schema: schemaFrom(requestSchemas('conversations', 'cancel-scheduled-email-message')),
      handler: async (request: FastifyRequest<{ Params: { emailMessageId: string } }>) =>
        emails.cancelScheduled(authOf(request).locationId, request.params.emailMessageId),
    },
  ];
}
