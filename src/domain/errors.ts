// The closed set of domain error codes. Transport maps each to a status in one table (http/errors.ts).
export type ErrorCode =
  | 'VERSION_MISSING'
  | 'VERSION_INVALID'
  | 'TOKEN_INVALID_JWT'
  | 'TOKEN_INVALID_PIT'
  /** A token of a class (Company, Location) the route does not take (docs/behaviour.md#token-classes). */
  | 'AUTH_CLASS_FORBIDDEN'
  /** OAuth client credentials that name no app, or the wrong secret. */
  | 'OAUTH_CLIENT_INVALID'
  | 'ADMIN_TOKEN_INVALID'
  /** A scrape of /metrics without the METRICS_TOKEN configured. */
  | 'METRICS_TOKEN_INVALID'
  | 'SCOPE_MISSING'
  | 'LOCATION_FORBIDDEN'
  | 'FORBIDDEN'
  /**
   * A provider report or inbound message from a token whose app does not own the provider
   * (docs/behaviour.md#provider-reports).
   */
  | 'PROVIDER_NO_ACCESS'
  | 'VALIDATION_FAILED'
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'ROUTE_NOT_FOUND'
  | 'CONTACT_NOT_FOUND'
  | 'CONVERSATION_EXISTS'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RANGE_NOT_SATISFIABLE'
  | 'RECORDING_NOT_FOUND'
  | 'TRANSCRIPTION_NOT_FOUND'
  | 'VISITOR_SESSION_INVALID'
  | 'RATE_LIMITED'
  | 'INTERNAL';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string | string[],
    /** Extra fields rendered into the error body, e.g. canonicalCode or conversationId. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(Array.isArray(message) ? message.join('; ') : message);
    this.name = 'DomainError';
    this.messages = message;
  }
  readonly messages: string | string[];
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);
