// The shape every route module exports: method, URL, access rule, request schema and a thin handler.
import type { FastifyReply, FastifyRequest, FastifySchema, HTTPMethods } from 'fastify';
import type { Access } from '../http/access.js';
import type { RequestSchemas } from '../http/openapi.js';

export interface Route {
  method: HTTPMethods;
  url: string;
  access: Access;
  schema?: FastifySchema;
  /**
   * Bodies beyond JSON: `multipart` adds multipart/form-data (streamed, see app.ts); `raw` takes any body unparsed,
   * for the handler to stream from request.raw (signed uploads); `form` adds application/x-www-form-urlencoded, parsed
   * to an object of strings (OAuth's token requests and the consent page).
   */
  accepts?: 'multipart' | 'raw' | 'form';
  // biome-ignore lint/suspicious/noExplicitAny: each handler narrows its own request through its schema types
  handler: (request: FastifyRequest<any>, reply: FastifyReply) => Promise<unknown>;
}

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
