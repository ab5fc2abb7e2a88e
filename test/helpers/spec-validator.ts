// Validates response bodies against the official spec. Where production deviates from the spec
// (BEHAVIOUR.md §2), the deviation is written here, in one place, so it is easy to review.
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
  // A conversation that has no message yet has no last message type: production leaves the field out.
  'conversations:search-conversation:200': (schema) => {
    const items = ((schema.properties as Json).conversations as Json).items as Json;
    items.required = (items.required as string[]).filter((field) => field !== 'lastMessageType');
    return schema;
  },
};

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
  if (!base) throw new Error(`${spec}:${operationId} documents no response for status ${status}`);
  const deviation = DEVIATIONS[`${spec}:${operationId}:${status}`];
  return deviation ? deviation(structuredClone(base)) : base;
}

/** Every error body additionally carries statusCode, a message and the traceId (BEHAVIOUR.md §1). */
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
  if (status < 400 && body !== null && typeof body === 'object' && !('traceId' in body)) {
    errors.push('body has no traceId');
  }
  return errors;
}
