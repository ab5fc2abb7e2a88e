// One code→status table and the one error handler that renders HighLevel's error envelope.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorCode } from '../domain/errors.js';
import { startTrace } from './pipeline.js';
import { validationMessages } from './validation-messages.js';

const STATUS: Record<ErrorCode, number> = {
  VERSION_MISSING: 401,
  VERSION_INVALID: 401,
  TOKEN_INVALID_JWT: 401,
  TOKEN_INVALID_PIT: 401,
  ADMIN_TOKEN_INVALID: 401,
  SCOPE_MISSING: 401,
  LOCATION_FORBIDDEN: 403,
  FORBIDDEN: 403,
  VALIDATION_FAILED: 422,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  CONTACT_NOT_FOUND: 400,
  CONVERSATION_EXISTS: 400,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
};

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

export function errorBody(statusCode: number, message: string | string[], details: Record<string, unknown> = {}) {
  return { statusCode, message, error: REASON[statusCode] ?? 'Error', ...details };
}

/** Fastify's own errors (bad JSON, wrong content type, body too large) mapped onto the same envelope. */
function fromFastifyError(error: FastifyError): DomainError {
  if (error.validation) {
    return new DomainError('VALIDATION_FAILED', validationMessages(error.validation));
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new DomainError('PAYLOAD_TOO_LARGE', 'Request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new DomainError('BAD_REQUEST', error.message);
  }
  if (error instanceof SyntaxError || (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)) {
    return new DomainError('BAD_REQUEST', error.message);
  }
  return new DomainError('INTERNAL', 'Internal server error');
}

/**
 * Errors Fastify raises before routing, when no hook has run: a malformed percent-escape in the URL, or a path
 * parameter longer than any id (which names nothing, so it answers like an unknown route).
 */
export function handleFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  startTrace(request, reply);
  const domainError =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new DomainError('ROUTE_NOT_FOUND', `Cannot ${request.method} ${request.url.split('?')[0]}`)
      : fromFastifyError(error);
  const status = statusOf(domainError.code);
  return reply
    .code(status)
    .send(errorBody(status, domainError.messages, { ...domainError.details, traceId: request.traceId }));
}

export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const domainError = error instanceof DomainError ? error : fromFastifyError(error as FastifyError);
  const status = statusOf(domainError.code);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  return reply.code(status).send(errorBody(status, domainError.messages, domainError.details));
}
