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
  AUTH_CLASS_FORBIDDEN: 401,
  OAUTH_CLIENT_INVALID: 401,
  ADMIN_TOKEN_INVALID: 401,
  METRICS_TOKEN_INVALID: 401,
  SCOPE_MISSING: 401,
  LOCATION_FORBIDDEN: 403,
  FORBIDDEN: 403,
  PROVIDER_NO_ACCESS: 401,
  VALIDATION_FAILED: 422,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  CONTACT_NOT_FOUND: 400,
  CONVERSATION_EXISTS: 400,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RANGE_NOT_SATISFIABLE: 416,
  RECORDING_NOT_FOUND: 400,
  TRANSCRIPTION_NOT_FOUND: 400,
  VISITOR_SESSION_INVALID: 401,
  RATE_LIMITED: 429,
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
  416: 'Range Not Satisfiable',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

/**
 * Upload refusals also carry `status`, the shape of the spec's UploadFilesErrorResponseDto
 * (docs/behaviour.md#upload-limits).
 */
const WITH_STATUS = new Set([413, 415]);

export function errorBody(statusCode: number, message: string | string[], details: Record<string, unknown> = {}) {
  const status = WITH_STATUS.has(statusCode) ? { status: statusCode } : {};
  return { statusCode, ...status, message, error: REASON[statusCode] ?? 'Error', ...details };
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
  // Multipart limits (files, parts, fields, file size) are 413s of their own.
  if (error.statusCode === 413) return new DomainError('PAYLOAD_TOO_LARGE', error.message);
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
