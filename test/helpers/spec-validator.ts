// Validates response bodies against the official spec. Where production deviates from the spec
// (docs/behaviour.md#production-shapes), the deviation is written here, in one place, so it is easy to review.
import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import { commonSchema, responseSchema, type SpecName } from '../../src/http/openapi.js';

const ajv = new Ajv({ allErrors: true, strict: false });
// ajv-formats is CommonJS with a default export; NodeNext sees the module object.
(formats as unknown as { default: (ajv: Ajv) => void }).default(ajv);
const cache = new Map<string, ValidateFunction>();

type Json = Record<string, unknown>;

/**
 * Documented production deviations, per operation and status: each takes the spec's schema and answers the one
 * production actually serves.
 */
const DEVIATIONS: Record<string, (schema: Json) => Json> = {
  // An email's status takes any value its status update accepts, `clicked` included; the read enum lacks it.
  'conversations:get-email-by-id:200': (schema) => {
    const status = (schema.properties as Json).status as Json;
    status.enum = [...(status.enum as string[]), 'clicked'];
    return schema;
  },
  // Cancelling an unknown or no longer scheduled email answers 404 / 400 with the same {status, message} body as a
  // success (docs/behaviour.md#cancel-schedule), on top of the error envelope.
  'conversations:cancel-scheduled-email-message:400': () =>
    responseSchema('conversations', 'cancel-scheduled-email-message', 200) as Json,
  'conversations:cancel-scheduled-email-message:404': () =>
    responseSchema('conversations', 'cancel-scheduled-email-message', 200) as Json,
  // The same for a scheduled message of any channel (the spec documents only its 200 and a bare 400).
  'conversations:cancel-scheduled-message:400': () =>
    responseSchema('conversations', 'cancel-scheduled-message', 200) as Json,
  'conversations:cancel-scheduled-message:404': () =>
    responseSchema('conversations', 'cancel-scheduled-message', 200) as Json,
  // A conversation that has no message yet has no last message type: production leaves the field out.
  'conversations:search-conversation:200': (schema) => {
    const items = ((schema.properties as Json).conversations as Json).items as Json;
    items.required = (items.required as string[]).filter((field) => field !== 'lastMessageType');
    return schema;
  },
  // The spec documents this 200 without a body; Switchboard answers what was set.
  'conversations:add-message-attachments:200': () => ({
    type: 'object',
    required: ['success', 'messageId', 'attachments'],
    properties: {
      success: { const: true },
      messageId: { type: 'string' },
      attachments: { type: 'array', items: { type: 'string' }, maxItems: 5 },
    },
  }),
  // Production wraps the message: {"message": {...}} (docs/behaviour.md#message-shapes).
  'conversations:get-message:200': (schema) => ({
    type: 'object',
    required: ['message'],
    properties: { message: schema },
  }),
  // Production wraps the page: {"messages": {lastMessageId, nextPage, messages}} (docs/behaviour.md#message-shapes); an
  // empty page has no last message, so its lastMessageId is null.
  'conversations:get-messages:200': (schema) => {
    (schema.properties as Json).lastMessageId = { type: ['string', 'null'] };
    return { type: 'object', required: ['messages'], properties: { messages: schema } };
  },
  // Binary answers the spec describes by their headers only: a recording and a transcript file.
  'conversations:get-message-recording:200': () => ({ type: 'string' }),
  'conversations:download-message-transcription:200': () => ({ type: 'string' }),
  // Production answers the array of sentences, each with an optional speaker and words
  // (docs/behaviour.md#transcript-shape).
  'conversations:get-message-transcription:200': (schema) => {
    (schema.properties as Json).speaker = { type: 'string' };
    (schema.properties as Json).words = { type: 'array', items: { type: 'object' } };
    return { type: 'array', items: schema };
  },
  // Direct uploads refuse a size or a type as the multipart upload does, with {status, message}
  // (docs/behaviour.md#upload-limits).
  'conversations:initiate-file-upload:413': () => uploadRefusal(),
  'conversations:initiate-file-upload:415': () => uploadRefusal(),
  'conversations:complete-file-upload:413': () => uploadRefusal(),
  'conversations:complete-file-upload:415': () => uploadRefusal(),
  // Server-sent event streams answer text/event-stream, not JSON.
  'extensions:stream-conversation-events:200': () => ({ type: 'string' }),
  'extensions:stream-live-chat-session:200': () => ({ type: 'string' }),
  // nextCursor is null on the last page (docs/behaviour.md#export); the spec types it string only.
  'conversations:export-messages-by-location:200': (schema) => {
    (schema.properties as Json).nextCursor = { type: ['string', 'null'] };
    schema.required = [...(schema.required as string[]), 'nextCursor'];
    return schema;
  },
  // The spec documents the newer contact search without a response body: the contacts of a page in the older
  // search's item shape, each with the searchAfter that pages on after it, and the total.
  'contacts:search-contacts-advanced:200': () => {
    const page = responseSchema('contacts', 'get-contacts', 200) as Json;
    const item = ((page.properties as Json).contacts as Json).items as Json;
    (item.properties as Json).searchAfter = { type: 'array', minItems: 2, maxItems: 2 };
    item.required = ['id', 'locationId', 'searchAfter'];
    return {
      type: 'object',
      required: ['contacts', 'total'],
      properties: { contacts: { type: 'array', items: item }, total: { type: 'integer', minimum: 0 } },
    };
  },
  // The duplicate lookup is documented without a body either: the contact get-contact answers, or null.
  'contacts:get-duplicate-contact:200': () => {
    const one = responseSchema('contacts', 'get-contact', 200) as Json;
    const contact = (one.properties as Json).contact as Json;
    return { type: 'object', required: ['contact'], properties: { contact: { anyOf: [contact, { type: 'null' }] } } };
  },
};

function uploadRefusal(): Json {
  return responseSchema('conversations', 'upload-file-attachments', 413) as Json;
}

const COMMON_BY_STATUS: Record<number, Parameters<typeof commonSchema>[0]> = {
  400: 'BadRequestDTO',
  401: 'UnauthorizedDTO',
  403: 'ForbiddenDTO',
  404: 'NotFoundDTO',
  422: 'UnprocessableDTO',
};

function schemaFor(spec: SpecName, operationId: string, status: number): Json {
  const documented = responseSchema(spec, operationId, status);
  const base = documented ?? (COMMON_BY_STATUS[status] ? commonSchema(COMMON_BY_STATUS[status]) : undefined);
  const deviation = DEVIATIONS[`${spec}:${operationId}:${status}`];
  if (!base && !deviation) throw new Error(`${spec}:${operationId} documents no response for status ${status}`);
  return deviation ? deviation(structuredClone(base ?? {})) : (base as Json);
}

/** Every error body additionally carries statusCode, a message and the traceId (docs/behaviour.md#error-envelope). */
const errorEnvelope = {
  type: 'object',
  required: ['statusCode', 'message', 'traceId'],
  properties: {
    statusCode: { type: 'number' },
    message: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    traceId: { type: 'string', format: 'uuid' },
  },
};
const validateEnvelope = ajv.compile(errorEnvelope);

export function specErrors(spec: SpecName, operationId: string, status: number, body: unknown): string[] {
  const key = `${spec}:${operationId}:${status}`;
  let validate = cache.get(key);
  if (!validate) {
    validate = ajv.compile(schemaFor(spec, operationId, status));
    cache.set(key, validate);
  }
  const errors: string[] = [];
  if (!validate(body)) errors.push(...(validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`));
  if (status >= 400 && !validateEnvelope(body)) {
    errors.push(...(validateEnvelope.errors ?? []).map((e) => `envelope ${e.instancePath || '/'} ${e.message}`));
  }
  // A JSON object carries the traceId; an array (the transcription's sentences) has nowhere to put it.
  if (status < 400 && body !== null && typeof body === 'object' && !Array.isArray(body) && !('traceId' in body)) {
    errors.push('body has no traceId');
  }
  return errors;
}
