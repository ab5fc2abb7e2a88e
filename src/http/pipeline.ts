// The request pipeline: traceId, Version header, token (and its class: location or company), scope, then the location
// check.

import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService } from '../domain/auth.js';
import { type AuthContext, type CompanyContext, type Credential, isCompanyContext } from '../domain/credentials.js';
import { DomainError } from '../domain/errors.js';
import { MAX_ID_LENGTH, MAX_LONG_TEXT_LENGTH, MAX_NAME_LENGTH, MAX_TEXT_LENGTH } from '../domain/text-bounds.js';
import { ACCEPTED_VERSIONS, type Access } from './access.js';
import type { ConsoleSessions } from './console-session.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    traceId: string;
    auth: AuthContext | null;
    /** Authenticated by a console session rather than a token: the console's own calls, not an integrator's. */
    viaConsole: boolean;
    /** The Company OAuth token of a company route. */
    company: CompanyContext | null;
  }
}

/** The bearer token of a request (or its `access_token` query parameter, where the route takes one). */
export function bearer(request: FastifyRequest, fromQuery = false): string | null {
  const header = request.headers.authorization;
  if (!header) return fromQuery ? queryParameter(request, 'access_token') : null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/** A single-valued query parameter (EventSource credentials), or null. */
export function queryParameter(request: FastifyRequest, name: string): string | null {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Browsers may call these routes from any page: they authenticate by token, never by cookie. */
export function allowCors(reply: FastifyReply) {
  reply.header('access-control-allow-origin', '*');
  reply.header('access-control-expose-headers', 'x-trace-id, retry-after');
}

function checkVersion(request: FastifyRequest, optional: boolean, fromQuery = false) {
  const fallback = fromQuery ? (queryParameter(request, 'version') ?? undefined) : undefined;
  const version = request.headers.version ?? fallback;
  if (version === undefined || version === '') {
    if (optional) return;
    throw new DomainError('VERSION_MISSING', 'version header was not found.');
  }
  if (typeof version !== 'string' || !ACCEPTED_VERSIONS.has(version)) {
    throw new DomainError('VERSION_INVALID', 'version header is invalid');
  }
}

function requestedLocation(request: FastifyRequest, access: Access): unknown {
  if (access.kind !== 'location' || !access.locationFrom) return undefined;
  const source = { query: request.query, body: request.body, params: request.params }[access.locationFrom];
  if (source === null || typeof source !== 'object') return undefined;
  return (source as Record<string, unknown>).locationId;
}

/** What a missing or unknown bearer token meets: its kind decides the message (docs/behaviour.md#request-pipeline). */
export function invalidToken(token: string | null): DomainError {
  return token?.startsWith('pit-')
    ? new DomainError('TOKEN_INVALID_PIT', 'Invalid Private Integration token')
    : new DomainError('TOKEN_INVALID_JWT', 'Invalid JWT');
}

/**
 * Gives the request its traceId: its request id, which every log line of the request carries as `traceId`
 * (createApp's genReqId), echoed as the x-trace-id header on whatever the answer turns out to be.
 */
export function startTrace(request: FastifyRequest, reply: FastifyReply) {
  request.traceId = request.id;
  reply.header('x-trace-id', request.traceId);
}

/** A new request's id, and so its traceId: never taken from the request, which a client could make collide. */
export const newRequestId = () => randomUUID();

/**
 * What validation cannot see, for the first offending field of the parsed input (walked without recursion, as
 * bodies may nest deep): a non-finite number, which Ajv's coercion lets through unchecked from `Infinity` or
 * `1e400`, or a NUL character, which PostgreSQL text cannot hold (so both engines refuse it alike).
 */
/**
 * A field holding an id: `…Id`, `…Ids[n]`, or a stored user id such as a body's `assignedTo` (the search query's
 * `assignedTo` is a comma-separated list of user ids, read and never stored).
 */
const ID_FIELD = /(Id|Ids\.\d+|^body\.assignedTo|userId)$/;
/** Names and email addresses a body stores: indexed for search (a contact's, a visitor's; a location's, an app's). */
const NAME_FIELD = /^body\.(firstName|lastName|name|companyName|email)$/;
/** The long texts a body stores (a message's text, an email's HTML, a contact's custom value: large-text fields). */
const LONG_TEXT_FIELD = /^body\.((message|html|body|text)|customFields\.\d+\.(field_value|value))$/;

/** The bound of a string at `path`, or undefined for one that is read and never stored (a query, a path). */
function lengthBound(path: string): number | undefined {
  if (ID_FIELD.test(path)) return MAX_ID_LENGTH;
  if (!path.startsWith('body')) return undefined;
  if (NAME_FIELD.test(path)) return MAX_NAME_LENGTH;
  return LONG_TEXT_FIELD.test(path) ? MAX_LONG_TEXT_LENGTH : MAX_TEXT_LENGTH;
}

function unstorableInput(input: Record<string, unknown>): string | null {
  const pending: [string, unknown][] = Object.entries(input);
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [path, value] = next;
    const name = () => path.replace(/^(query|body|params)\.?/, '') || 'value';
    if (typeof value === 'number' && !Number.isFinite(value)) {
      return `${name()} must be a number conforming to the specified constraints`;
    }
    if (typeof value === 'string' && value.includes('\u0000')) return `${name()} must not contain NUL characters`;
    // Ids (and user ids such as assignedTo) are indexed: PostgreSQL refuses an index row over ~2.7 KB where SQLite
    // takes it, so both engines refuse a value no real id comes near.
    // Every stored string has a bound both engines enforce, so neither a database limit (an index row) nor an engine's
    // tolerance decides what is kept.
    const bound = typeof value === 'string' ? lengthBound(path) : undefined;
    if (bound !== undefined && (value as string).length > bound) {
      return `${name()} must be shorter than or equal to ${bound} characters`;
    }
    if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) pending.push([`${path}.${key}`, child]);
    }
  }
  return null;
}

export function registerPipeline(app: FastifyInstance, auth: AuthService, consoleSessions: ConsoleSessions) {
  app.decorateRequest('traceId', '');
  app.decorateRequest('auth', null);
  app.decorateRequest('viaConsole', false);
  app.decorateRequest('company', null);

  app.addHook('onRequest', async (request, reply) => {
    startTrace(request, reply);
    // Node keeps the first of several Authorization headers; a proxy may keep the last. Which one is meant is
    // ambiguous, so neither is taken. (Requests made in-process through inject, the MCP tools', have no
    // headersDistinct; they carry one header by construction.)
    if ((request.raw.headersDistinct?.authorization?.length ?? 0) > 1) {
      throw new DomainError('BAD_REQUEST', 'The request must carry at most one Authorization header');
    }
    const access = request.routeOptions.config.access;
    if (access?.kind === 'public' && access.cors) allowCors(reply);
    if (!access || access.kind === 'public') return;
    if (access.kind === 'admin') {
      // Without a bearer token, a console session's cookie (with its CSRF header) may stand in: console-session.ts.
      const token = bearer(request);
      const admitted = token
        ? await auth.isAdminToken(token)
        : (await consoleSessions.credential(request, false))?.kind === 'admin';
      if (!admitted) {
        throw new DomainError('ADMIN_TOKEN_INVALID', 'Invalid admin token');
      }
      return;
    }
    const queryCredentials = access.kind === 'location' && access.queryCredentials === true;
    if (queryCredentials) allowCors(reply);
    checkVersion(request, access.kind === 'location' && access.versionOptional === true, queryCredentials);
    const token = bearer(request, queryCredentials);
    let context: Credential | null = token ? await auth.authenticate(token) : null;
    if (!token && access.kind === 'location') {
      const session = await consoleSessions.credential(request, true);
      if (session?.kind === 'location') {
        context = session.context;
        request.viaConsole = true;
      }
    }
    if (!context) throw invalidToken(token);
    // A Company token reaches company routes only, a location token location routes only
    // (docs/behaviour.md#token-classes).
    if (isCompanyContext(context) !== (access.kind === 'company')) {
      throw new DomainError(
        'AUTH_CLASS_FORBIDDEN',
        'This authClass type is not allowed to access this scope. Please verify your IAM configuration if this is not the case.',
      );
    }
    if (!context.scopes.has(access.scope)) {
      throw new DomainError('SCOPE_MISSING', 'The token is not authorized for this scope.');
    }
    if (isCompanyContext(context)) request.company = context;
    else request.auth = context;
  });

  // Runs once the body is parsed but before it is validated: the location check precedes validation.
  app.addHook('preValidation', async (request) => {
    const access = request.routeOptions.config.access;
    if (access?.kind !== 'location' || !request.auth) return;
    const locationId = requestedLocation(request, access);
    // An empty locationId names no location at all: say so rather than answer for none.
    if (locationId === '') throw new DomainError('VALIDATION_FAILED', ['locationId should not be empty']);
    if (typeof locationId === 'string' && locationId !== request.auth.locationId) {
      throw new DomainError('LOCATION_FORBIDDEN', 'The token does not have access to this location.');
    }
  });

  // After validation, so the spec's own messages come first.
  app.addHook('preHandler', async (request) => {
    const problem = unstorableInput({ query: request.query, body: request.body, params: request.params });
    if (problem) throw new DomainError('VALIDATION_FAILED', [problem]);
  });

  // Every JSON object body carries the request's traceId (docs/behaviour.md#trace-ids).
  app.addHook('preSerialization', async (request, _reply, payload) => {
    if (payload !== null && typeof payload === 'object' && !Array.isArray(payload) && !Buffer.isBuffer(payload)) {
      return { ...(payload as Record<string, unknown>), traceId: request.traceId };
    }
    return payload;
  });
}

/** The Company token of a company route; the pipeline guarantees it is set. */
export function companyOf(request: FastifyRequest): CompanyContext {
  if (!request.company) throw new DomainError('INTERNAL', 'route is missing its access declaration');
  return request.company;
}

/** The authenticated context of a location route; the pipeline guarantees it is set. */
export function authOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new DomainError('INTERNAL', 'route is missing its access declaration');
  return request.auth;
}
