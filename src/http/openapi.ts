// The official OpenAPI documents (vendored under spec/) as the source of request validation schemas:
// one schema drives validation here and response checks in the tests.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Json = Record<string, unknown>;

export const SPEC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../spec');

const SPEC_FILES = {
  conversations: 'v3/conversations.json',
  contacts: 'reference/contacts.json',
  oauth: 'reference/oauth.json',
  locations: 'reference/locations.json',
  /** Switchboard's own operations, documented in the same form (not HighLevel's). */
  extensions: 'switchboard/extensions.json',
  /** Switchboard's admin API, /admin/v1 (docs/admin-api.md, docs/sandbox.md). */
  admin: 'switchboard/admin.json',
} as const;
export type SpecName = keyof typeof SPEC_FILES;

const documents = new Map<string, Json>();

function loadDocument(relative: string): Json {
  let doc = documents.get(relative);
  if (!doc) {
    doc = JSON.parse(fs.readFileSync(path.join(SPEC_DIR, relative), 'utf8')) as Json;
    documents.set(relative, doc);
  }
  return doc;
}

function pointer(doc: Json, fragment: string): unknown {
  return fragment
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Json)[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}

const DROP = new Set(['example', 'examples', 'xml', 'externalDocs', 'deprecated', 'readOnly', 'writeOnly']);

/** Inlines every $ref (internal or into a sibling file) and drops annotation-only keywords. */
export function resolveSchema(node: unknown, file: string): unknown {
  if (Array.isArray(node)) return node.map((item) => resolveSchema(item, file));
  if (node === null || typeof node !== 'object') return node;
  const object = node as Json;
  if (typeof object.$ref === 'string') {
    const [target = '', fragment = ''] = object.$ref.split('#');
    const targetFile = target ? path.posix.join(path.posix.dirname(file), target) : file;
    return resolveSchema(pointer(loadDocument(targetFile), `#${fragment}`), targetFile);
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(object)) {
    if (DROP.has(key)) continue;
    if (key === 'type' && value === 'any') continue;
    out[key] = key === 'properties' ? resolveProperties(value as Json, file) : resolveSchema(value, file);
  }
  return out;
}

function resolveProperties(properties: Json, file: string): Json {
  return Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, resolveSchema(v, file)]));
}

interface Operation {
  file: string;
  method: string;
  path: string;
  operation: Json;
}

function findOperation(spec: SpecName, operationId: string): Operation {
  const file = SPEC_FILES[spec];
  const doc = loadDocument(file);
  for (const [p, methods] of Object.entries(doc.paths as Json)) {
    for (const [method, operation] of Object.entries(methods as Json)) {
      if ((operation as Json).operationId === operationId)
        return { file, method, path: p, operation: operation as Json };
    }
  }
  throw new Error(`operation ${operationId} is not in the ${spec} spec`);
}

export interface RequestSchemas {
  querystring?: Json;
  params?: Json;
  body?: Json;
}

/** JSON schemas for an operation's query, path and body, straight from the spec (headers are handled by the pipeline). */
export function requestSchemas(spec: SpecName, operationId: string): RequestSchemas {
  const { file, operation } = findOperation(spec, operationId);
  const groups: Record<'query' | 'path', { properties: Json; required: string[] }> = {
    query: { properties: {}, required: [] },
    path: { properties: {}, required: [] },
  };
  for (const raw of (operation.parameters as Json[] | undefined) ?? []) {
    const parameter = resolveSchema(raw, file) as Json;
    const where = parameter.in as string;
    if (where !== 'query' && where !== 'path') continue;
    const group = groups[where];
    group.properties[parameter.name as string] = parameter.schema ?? {};
    if (parameter.required) group.required.push(parameter.name as string);
  }
  const result: RequestSchemas = {};
  if (Object.keys(groups.query.properties).length > 0) result.querystring = { type: 'object', ...groups.query };
  if (Object.keys(groups.path.properties).length > 0) result.params = { type: 'object', ...groups.path };
  const content = (operation.requestBody as Json | undefined)?.content as Json | undefined;
  const json = content?.['application/json'] as Json | undefined;
  if (json?.schema) result.body = resolveSchema(json.schema, file) as Json;
  return result;
}

/** The documented response schema for an operation and status, or undefined when the spec names none. */
export function responseSchema(spec: SpecName, operationId: string, status: number): Json | undefined {
  const { file, operation } = findOperation(spec, operationId);
  const responses = operation.responses as Json;
  const response = (responses[String(status)] ?? undefined) as Json | undefined;
  const content = response?.content as Json | undefined;
  const json = (content?.['application/json'] ?? undefined) as Json | undefined;
  return json?.schema ? (resolveSchema(json.schema, file) as Json) : undefined;
}

/** A named schema of a spec's components, for bodies the spec documents in a form requestSchemas does not read. */
export function componentSchema(spec: SpecName, name: string): Json {
  const file = SPEC_FILES[spec];
  return resolveSchema({ $ref: `#/components/schemas/${name}` }, file) as Json;
}

export function commonSchema(
  name: 'BadRequestDTO' | 'UnauthorizedDTO' | 'UnprocessableDTO' | 'ForbiddenDTO' | 'NotFoundDTO',
): Json {
  return resolveSchema({ $ref: `../common/common-schemas.json#/components/schemas/${name}` }, 'v3/x.json') as Json;
}

export function specOperations(
  spec: SpecName,
): { operationId: string; method: string; path: string; scopes: string[] }[] {
  const doc = loadDocument(SPEC_FILES[spec]);
  const out: { operationId: string; method: string; path: string; scopes: string[] }[] = [];
  for (const [p, methods] of Object.entries(doc.paths as Json)) {
    for (const [method, operation] of Object.entries(methods as Json)) {
      const op = operation as Json;
      const security = (op.security as Json[] | undefined) ?? [];
      const scopes = [...new Set(security.flatMap((entry) => Object.values(entry).flat() as string[]))];
      out.push({ operationId: op.operationId as string, method: method.toUpperCase(), path: p, scopes });
    }
  }
  return out;
}
