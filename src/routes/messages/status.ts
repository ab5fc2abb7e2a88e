// Provider reports on a message: its delivery status, and the files of an external call.
import type { FastifyRequest } from 'fastify';
import { MAX_CALL_ATTACHMENTS, type StatusUpdateInput } from '../../domain/messages/status.js';
import { requestSchemas } from '../../http/openapi.js';
import { authOf } from '../../http/pipeline.js';
import type { Services } from '../../services.js';
import { type Route, schemaFrom } from '../route.js';

const write = { kind: 'location', scope: 'conversations/message.write' } as const;
const address = { type: 'string', minLength: 1, maxLength: 320 };
const RECIPIENT_STATUSES = [
  'pending',
  'scheduled',
  'sent',
  'delivered',
  'read',
  'undelivered',
  'connected',
  'failed',
  'opened',
  'clicked',
];

type MessageParams = { Params: { messageId: string } };

export function messageStatusRoutes({ messageStatus }: Services): Route[] {
  return [
    {
      method: 'PUT',
      url: '/conversations/messages/:messageId/status',
      access: write,
      schema: schemaFrom(requestSchemas('conversations', 'update-message-status'), {
        body: {
          properties: {
            emailMessageId: { type: 'string', minLength: 1, maxLength: 64 },
            error: {
              type: 'object',
              properties: {
                code: { type: 'string', maxLength: 256 },
                type: { type: 'string', maxLength: 256 },
                message: { type: 'string', maxLength: 4096 },
              },
            },
            // Recipients as addresses (the spec) or as {emailId, status} objects, as providers send them (§2).
            recipients: {
              maxItems: 100,
              items: {
                type: ['string', 'object'],
                anyOf: [
                  address,
                  {
                    type: 'object',
                    required: ['emailId'],
                    properties: {
                      emailId: address,
                      status: { type: 'string', enum: RECIPIENT_STATUSES },
                      failReason: { type: 'string', maxLength: 1024 },
                    },
                    additionalProperties: false,
                  },
                ],
              },
            },
          },
        },
      }),
      handler: async (request: FastifyRequest<MessageParams & { Body: StatusUpdateInput }>) =>
        messageStatus.updateStatus(authOf(request).locationId, request.params.messageId, request.body, {
          appId: authOf(request).appId,
        }),
    },
    {
      method: 'PUT',
      url: '/conversations/messages/:messageId/attachments',
      access: write,
      schema: schemaFrom(requestSchemas('conversations', 'add-message-attachments'), {
        body: {
          properties: {
            attachments: {
              maxItems: MAX_CALL_ATTACHMENTS,
              // Whether each is an absolute http(s) URL is the use case's rule, as on a send: one message for both.
              items: { type: 'string', minLength: 1, maxLength: 2048 },
            },
          },
        },
      }),
      handler: async (request: FastifyRequest<MessageParams & { Body: { attachments: string[] } }>) =>
        messageStatus.replaceAttachments(
          authOf(request).locationId,
          request.params.messageId,
          request.body.attachments,
        ),
    },
  ];
}
