// The shape every route module exports (method, URL, access rule, request schema and a thin handler), with the
// handler's request typed from the schema Fastify validates it with.
import type { FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import type { ValidatedRequests } from '../generated/route-requests.js';
import type { Access } from '../http/access.js';
import type { RequestSchemas } from '../http/openapi.js';

/** A route's `METHOD url`, for every route of src/routes/index.ts. */
type RouteKey = keyof ValidatedRequests;
type MethodOf<K> = K extends `${infer Method} ${string}` ? Method : never;
type UrlOf<K> = K extends `${string} ${infer Url}` ? Url : never;

/** The path parameters Fastify's router fills in from the URL pattern (always strings), where no schema types them. */
type UrlParams<Url> = Url extends `${string}:${infer Name}/${infer Rest}`
  ? { [P in Name]: string } & UrlParams<`/${Rest}`>
  : Url extends `${string}:${infer Name}`
    ? { [P in Name]: string }
    : Url extends `${string}*`
      ? { '*': string }
      : unknown;

type Part<Validated, Name extends string, Otherwise = unknown> = Validated extends { [P in Name]: infer T }
  ? T
  : Otherwise;

/** What the handler of route K may rely on: the parts of the request its schema validated, and nothing more. */
type RequestOf<K extends RouteKey> = {
  Body: Part<ValidatedRequests[K], 'Body'>;
  /** Without a schema, what Fastify's query string parser makes of it. */
  Querystring: Part<ValidatedRequests[K], 'Querystring', Record<string, string | string[] | undefined>>;
  Params: Part<ValidatedRequests[K], 'Params', UrlParams<UrlOf<K>>>;
};

interface RouteOf<K extends RouteKey> {
  method: MethodOf<K>;
  url: UrlOf<K>;
  access: Access;
  schema?: FastifySchema;
  /**
   * Bodies beyond JSON: `multipart` adds multipart/form-data (streamed, see app.ts); `raw` takes any body unparsed,
   * for the handler to stream from request.raw (signed uploads); `form` adds application/x-www-form-urlencoded, parsed
   * to an object of strings (OAuth's token requests and the consent page).
   */
  accepts?: 'multipart' | 'raw' | 'form';
  /**
   * Typed from the route's own validation schema (src/generated/route-requests.ts, `npm run generate:types`): a
   * handler that declares a request type its schema does not guarantee does not compile.
   */
  handler: (request: FastifyRequest<RequestOf<K>>, reply: FastifyReply) => Promise<unknown>;
}

/** The URLs routed for `method`, for helpers that build routes (preflights). */
export type RouteUrl<Method extends string> = UrlOf<Extract<RouteKey, `${Method} ${string}`>>;

/**
 * The shape every route module exports: method, URL, access rule, request schema and a thin handler. A new route, or
 * a changed schema, needs `npm run generate:types` first: until then tsc reports its URL as "not assignable" to the
 * list of known ones, or its handler as not assignable to the types of the old schema.
 */
export type Route = { [K in RouteKey]: RouteOf<K> }[RouteKey];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Deep-merges overrides into a spec-derived schema (objects merge, everything else replaces). */
export function mergeSchema<T extends Json>(base: T | undefined, override: Json): T {
  const out: Json = { ...(base ?? {}) };
  for (const [key, value] of Object.entries(override)) {
    out[key] = isObject(value) && isObject(out[key]) ? mergeSchema(out[key] as Json, value) : value;
  }
  return out as T;
}

export function schemaFrom(
  spec: RequestSchemas,
  overrides: Partial<Record<keyof RequestSchemas, Json>> = {},
): FastifySchema {
  const schema: Json = {};
  for (const part of ['querystring', 'params', 'body'] as const) {
    const base = spec[part];
    const override = overrides[part];
    if (base || override) schema[part] = override ? mergeSchema(base, override) : base;
  }
  return schema as FastifySchema;
}
