// Reading messages: get one by id, a conversation's messages (production shape, docs/behaviour.md#message-shapes), its
// scheduled ones (an extension), and the location-wide export. /conversations/messages/export is a literal route, so it wins over /messages/:id.
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { EXPORT_CHANNELS } from '../../domain/message-types.js';
import type { ExportParams, MessageList } from '../../domain/messages/read.js';
import { requestSchemas } from '../../http/openapi.js';
import { authOf } from '../../http/pipeline.js';
import { presentMessage } from '../../presenters/messages.js';
import type { Services } from '../../services.js';
import { type Route, schemaFrom } from '../route.js';

const read = { kind: 'location', scope: 'conversations/message.readonly' } as const;
const id = { type: 'string', minLength: 1, maxLength: 200 };

const messagesSpec = requestSchemas('conversations', 'get-messages');
const typeParameter =
  (messagesSpec.querystring?.properties as Record<string, { enum?: string[] }> | undefined)?.type ?? {};
/** The spec's enum applies to each item of the comma-separated `type`; the singular comment name is accepted too. */
const FILTER_TYPES: ReadonlySet<string> = new Set([...(typeParameter.enum ?? []), 'TYPE_INTERNAL_COMMENT']);
// The spec types `type` as one enum value, yet documents a comma-separated list: the enum is checked per item.
delete typeParameter.enum;

/** `type=TYPE_SMS,TYPE_CALL` (or the key repeated) → the names, each checked against the enum. */
function typeFilter(raw: string | string[] | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const names = (Array.isArray(raw) ? raw : [raw])
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter(Boolean);
  const unknown = [...new Set(names.filter((name) => !FILTER_TYPES.has(name)))];
  if (unknown.length > 0) {
    throw new DomainError('VALIDATION_FAILED', [
      `type has unknown values: ${unknown.join(', ')}; each must be one of the following values: ${[...FILTER_TYPES].join(', ')}`,
    ]);
  }
  return names.length > 0 ? [...new Set(names)] : undefined;
}

function presentList({ rows, emailIds }: MessageList) {
  return rows.map((row) => presentMessage(row, emailIds.get(row.id)));
}

export function messageReadRoutes({ messageReads }: Services): Route[] {
  return [
    {
      method: 'GET',
      url: '/conversations/messages/export',
      access: { ...read, locationFrom: 'query' },
      schema: schemaFrom(requestSchemas('conversations', 'export-messages-by-location'), {
        querystring: {
          properties: {
            locationId: id,
            limit: { type: 'integer', minimum: 10, maximum: 500, default: 100 },
            cursor: { type: 'string', maxLength: 1000 },
            conversationId: id,
            contactId: id,
            channel: { type: 'string', enum: Object.keys(EXPORT_CHANNELS) },
            startDate: { type: 'string', maxLength: 64 },
            endDate: { type: 'string', maxLength: 64 },
          },
        },
      }),
      handler: async (request: FastifyRequest<{ Querystring: ExportParams }>) => {
        const page = await messageReads.exportMessages(authOf(request).locationId, request.query);
        return { messages: presentList(page), nextCursor: page.nextCursor, total: page.total };
      },
    },
    {
      method: 'GET',
      url: '/conversations/messages/:id',
      access: read,
      schema: schemaFrom(requestSchemas('conversations', 'get-message')),
      handler: async (request: FastifyRequest<{ Params: { id: string } }>) => {
        const { row, emailIds } = await messageReads.getMessage(authOf(request).locationId, request.params.id);
        // Production wraps the DTO (docs/behaviour.md#message-shapes).
        return { message: presentMessage(row, emailIds.get(row.id)) };
      },
    },
    {
      // An extension (spec/switchboard/extensions.json): what the history leaves out until it is sent.
      method: 'GET',
      url: '/conversations/:conversationId/messages/scheduled',
      access: read,
      schema: schemaFrom(requestSchemas('extensions', 'get-scheduled-messages')),
      handler: async (request: FastifyRequest<{ Params: { conversationId: string } }>) => {
        const list = await messageReads.scheduledMessages(authOf(request).locationId, request.params.conversationId);
        return { messages: presentList(list) };
      },
    },
    {
      method: 'GET',
      url: '/conversations/:conversationId/messages',
      access: read,
      schema: schemaFrom(messagesSpec, {
        querystring: {
          properties: {
            lastMessageId: id,
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            type: {
              type: ['string', 'array'],
              items: { type: 'string', maxLength: 1000 },
              maxItems: 50,
              maxLength: 2000,
            },
          },
        },
      }),
      handler: async (
        request: FastifyRequest<{
          Params: { conversationId: string };
          Querystring: { lastMessageId?: string; limit?: number; type?: string | string[] };
        }>,
      ) => {
        const { lastMessageId, limit, type } = request.query;
        const types = typeFilter(type);
        const page = await messageReads.conversationMessages(
          authOf(request).locationId,
          request.params.conversationId,
          {
            ...(lastMessageId ? { lastMessageId } : {}),
            ...(limit !== undefined ? { limit } : {}),
            ...(types ? { types } : {}),
          },
        );
        const messages = presentList(page);
        // Production shape (docs/behaviour.md#message-shapes); an empty page has no last message id.
        return {
          messages: { lastMessageId: messages.at(-1)?.id ?? null, nextPage: page.more, messages },
        };
      },
    },
  ];
}
