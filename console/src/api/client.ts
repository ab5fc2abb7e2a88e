// The console's one way to call Switchboard: same-origin fetch with the session cookie, the session's CSRF token
// in x-switchboard-csrf, and (for the admin) the location acted on in x-switchboard-location. See docs/console.md.

export const API_VERSION = '2021-04-15';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface Credentials {
  csrfToken: string | null;
  locationId: string | null;
}

const credentials: Credentials = { csrfToken: null, locationId: null };
let onSignedOut: () => void = () => {};

export function setCredentials(next: Partial<Credentials>) {
  Object.assign(credentials, next);
}

/** Called when the server no longer knows the session (expired, signed out elsewhere, token revoked). */
export function whenSignedOut(handler: () => void) {
  onSignedOut = handler;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** The headers that make the cookie count on this request. */
export function sessionHeaders(): Record<string, string> {
  const headers: Record<string, string> = { Version: API_VERSION };
  if (credentials.csrfToken) headers['x-switchboard-csrf'] = credentials.csrfToken;
  if (credentials.locationId) headers['x-switchboard-location'] = credentials.locationId;
  return headers;
}

/** The message of an error body in the API's shape ({statusCode, message: string | string[]}). */
export function errorMessage(body: unknown, status: number): string {
  if (body && typeof body === 'object' && 'message' in body) {
    const message = (body as { message: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string' && message) return message;
  }
  return `HTTP ${status}`;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  form?: FormData;
  signal?: AbortSignal;
}

export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers = sessionHeaders();
  let body: BodyInit | undefined;
  if (options.form) body = options.form;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(withQuery(path, options.query), {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && credentials.csrfToken) onSignedOut();
    throw new ApiError(response.status, errorMessage(parsed, response.status), parsed);
  }
  return parsed as T;
}
