// A tool call runs the tool's REST route through the app itself (Fastify's inject): the same pipeline (Version,
// token, scope, location, rate limits), the same validation, use case and presenter, so a tool can never answer
// differently from its operation. The answer is wrapped as HighLevel's MCP server wraps it: {success, status, data}.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Credential } from '../domain/credentials.js';
import { isCompanyContext } from '../domain/credentials.js';
import { DomainError, type ErrorCode } from '../domain/errors.js';
import { errorBody, statusOf } from '../http/errors.js';
import { invalidToken } from '../http/pipeline.js';
import type { Tool } from './tools.js';

type Json = Record<string, unknown>;

/** What a tool answers: the REST status and body, in HighLevel's envelope. */
export interface ToolAnswer {
  success: boolean;
  status: number;
  data: unknown;
}

/** Who is calling: the bearer token and locationId header of the MCP request, and what the token proved. */
export interface Caller {
  authorization: string | undefined;
  /** The bearer token of the authorization header, if it has one. */
  token: string | null;
  /** The `locationId` header: the location the agent works on, when its arguments do not say. */
  locationId: string | undefined;
  credential: Credential | null;
}

/** A refusal the MCP layer makes itself, in the REST error envelope (with a traceId of its own, as REST's have). */
export function refusal(code: ErrorCode, message: string | string[]): ToolAnswer {
  const status = statusOf(code);
  return { success: false, status, data: errorBody(status, message, { traceId: randomUUID() }) };
}

function encodeQuery(query: Json): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) params.append(name, String(item));
    else params.append(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Splits the arguments into path, query and body by their prefix; an unknown argument is refused by name. */
function requestParts(tool: Tool, args: Json) {
  const parts = { path: {} as Json, query: {} as Json, body: {} as Json };
  const unknown = Object.keys(args).filter((name) => !tool.places.has(name));
  if (unknown.length > 0) {
    const accepted = [...tool.places.keys()].join(', ');
    return new DomainError(
      'VALIDATION_FAILED',
      unknown.map((name) => `${name} is not an argument of ${tool.name} (it takes: ${accepted})`),
    );
  }
  for (const [argument, value] of Object.entries(args)) {
    const place = tool.places.get(argument);
    if (place) parts[place.place][place.name] = value;
  }
  return parts;
}

/** The location a call works on: its own argument, else the locationId header, else the token's own location. */
function locationOf(tool: Tool, args: Json, caller: Caller): string | undefined {
  const own = tool.locationArgument ? args[tool.locationArgument] : undefined;
  if (typeof own === 'string' && own !== '') return own;
  if (caller.locationId) return caller.locationId;
  return caller.credential && !isCompanyContext(caller.credential) ? caller.credential.locationId : undefined;
}

export async function callTool(app: FastifyInstance, tool: Tool, args: Json, caller: Caller): Promise<ToolAnswer> {
  const credential = caller.credential;
  // The REST pipeline's order: the token, then its scope (named here, which the REST answer cannot), then the rest.
  if (!credential) {
    const error = invalidToken(caller.token);
    return refusal(error.code, error.messages);
  }
  if (!credential.scopes.has(tool.scope)) {
    return refusal('SCOPE_MISSING', `The token is not authorized for this scope: ${tool.name} needs ${tool.scope}.`);
  }
  const parts = requestParts(tool, args);
  if (parts instanceof DomainError) return refusal(parts.code, parts.messages);
  const locationId = locationOf(tool, args, caller);
  if (tool.locationArgument && locationId !== undefined) {
    const place = tool.places.get(tool.locationArgument);
    if (place) parts[place.place].locationId = locationId;
  } else if (locationId && !isCompanyContext(credential) && locationId !== credential.locationId) {
    // The operation names no location itself: a header naming another one is the REST pipeline's 403.
    return refusal('LOCATION_FORBIDDEN', 'The token does not have access to this location.');
  }
  const missing = tool.url.match(/:(\w+)/g)?.find((name) => typeof parts.path[name.slice(1)] !== 'string');
  if (missing) return refusal('VALIDATION_FAILED', [`path_${missing.slice(1)} is required`]);
  const url = tool.url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(String(parts.path[name])));
  const hasBody = tool.method !== 'GET';
  const response = await app.inject({
    method: tool.method,
    url: `${url}${encodeQuery(parts.query)}`,
    headers: {
      version: tool.version,
      ...(caller.authorization ? { authorization: caller.authorization } : {}),
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
    },
    ...(hasBody ? { payload: JSON.stringify(parts.body) } : {}),
  });
  const data = response.headers['content-type']?.toString().includes('application/json')
    ? (JSON.parse(response.body) as unknown)
    : response.body;
  return { success: response.statusCode < 400, status: response.statusCode, data };
}
