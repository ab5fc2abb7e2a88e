// The OpenAPI documents the reference renders, fetched from /docs/specs/{name}, with their $refs (inside a document,
// or into a sibling one such as ../common/common-schemas.json) resolved on demand.

export type Json = Record<string, unknown>;

export interface Schema {
  type?: string | string[];
  format?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  example?: unknown;
  default?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  additionalProperties?: boolean | Schema;
  $ref?: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: Schema;
  example?: unknown;
}

export interface Operation {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  description: string;
  tag: string;
  parameters: Parameter[];
  /** The JSON body's schema, or the first content type's when the body is not JSON. */
  body: { contentType: string; schema: Schema; required: boolean } | null;
  responses: { status: string; description: string; schema: Schema | null }[];
}

export interface SpecDocument {
  name: string;
  title: string;
  description: string;
  operations: Operation[];
}

/** The documents /docs/specs serves, in the order the reference lists them. */
export const DOCUMENTS = ['conversations', 'contacts', 'oauth', 'extensions', 'admin'] as const;
export type DocumentName = (typeof DOCUMENTS)[number];

/** The file a sibling $ref names → the name it is served under. */
const SIBLINGS: Record<string, string> = {
  'common-schemas.json': 'common',
  'conversations.json': 'conversations',
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const raw = new Map<string, Promise<Json>>();

function fetchDocument(name: string): Promise<Json> {
  let pending = raw.get(name);
  if (!pending) {
    pending = fetch(`/docs/specs/${name}`).then((response) => {
      if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
      return response.json() as Promise<Json>;
    });
    raw.set(name, pending);
  }
  return pending;
}

function pointer(doc: Json, fragment: string): unknown {
  return fragment
    .replace(/^\//, '')
    .split('/')
    .filter(Boolean)
    .reduce<unknown>((node, key) => (node as Json | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}

/** Inlines every $ref; a cycle (a schema that contains itself) stops at the ref, shown by name. */
async function resolve(node: unknown, docName: string, seen: ReadonlySet<string> = new Set()): Promise<unknown> {
  if (Array.isArray(node)) return Promise.all(node.map((item) => resolve(item, docName, seen)));
  if (node === null || typeof node !== 'object') return node;
  const object = node as Json;
  if (typeof object.$ref === 'string') {
    const [file = '', fragment = ''] = object.$ref.split('#');
    const target = file ? (SIBLINGS[file.split('/').pop() ?? ''] ?? docName) : docName;
    const key = `${target}#${fragment}`;
    if (seen.has(key)) return { $ref: object.$ref };
    const next = new Set(seen).add(key);
    return resolve(pointer(await fetchDocument(target), fragment), target, next);
  }
  const entries = await Promise.all(
    Object.entries(object).map(async ([key, value]) => [key, await resolve(value, docName, seen)] as const),
  );
  return Object.fromEntries(entries);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function jsonSchemaOf(content: Json | undefined): { contentType: string; schema: Schema } | null {
  if (!content) return null;
  const type = 'application/json' in content ? 'application/json' : Object.keys(content)[0];
  if (!type) return null;
  return { contentType: type, schema: ((content[type] as Json | undefined)?.schema ?? {}) as Schema };
}

export async function loadDocument(name: DocumentName): Promise<SpecDocument> {
  const doc = (await resolve(await fetchDocument(name), name)) as Json;
  const info = (doc.info ?? {}) as Json;
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    const shared = (item.parameters as Parameter[] | undefined) ?? [];
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      const requestBody = operation.requestBody as Json | undefined;
      const body = jsonSchemaOf(requestBody?.content as Json | undefined);
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: text(operation.operationId) || `${method}-${path}`,
        summary: text(operation.summary) || path,
        description: text(operation.description),
        tag: ((operation.tags as string[] | undefined) ?? [])[0] ?? '',
        parameters: [...shared, ...((operation.parameters as Parameter[] | undefined) ?? [])],
        body: body ? { ...body, required: requestBody?.required === true } : null,
        responses: Object.entries((operation.responses ?? {}) as Record<string, Json>).map(([status, response]) => ({
          status,
          description: text(response.description),
          schema: jsonSchemaOf(response.content as Json | undefined)?.schema ?? null,
        })),
      });
    }
  }
  return { name, title: text(info.title) || name, description: text(info.description), operations };
}

/** A value that fits a schema, from its examples where it gives them: the try-it body's starting point. */
export function exampleOf(schema: Schema | undefined, depth = 0): unknown {
  if (!schema || depth > 6) return null;
  if (schema.example !== undefined) return schema.example;
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  if (schema.allOf) {
    const merged: Json = {};
    for (const part of schema.allOf) {
      const value = exampleOf(part, depth + 1);
      if (value && typeof value === 'object' && !Array.isArray(value)) Object.assign(merged, value);
    }
    return merged;
  }
  const choice = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (choice) return exampleOf(choice, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type ?? (schema.properties ? 'object' : undefined)) {
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([key, value]) => [key, exampleOf(value, depth + 1)]),
      );
    case 'array':
      return [exampleOf(schema.items, depth + 1)];
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'string':
      return schema.format === 'date-time' ? new Date(0).toISOString() : 'string';
    default:
      return null;
  }
}

/** A schema's type as a reader writes it: `string`, `string | null`, `array of object`, `enum`. */
export function typeLabel(schema: Schema): string {
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.$ref) return schema.$ref.split('/').pop() ?? 'object';
  if (schema.allOf) return 'object';
  const choices = schema.oneOf ?? schema.anyOf;
  if (choices) return choices.map(typeLabel).join(' | ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const label = types
    .map((type) => (type === 'array' && schema.items ? `array of ${typeLabel(schema.items)}` : type))
    .join(' | ');
  const base = label || (schema.properties ? 'object' : 'any');
  return schema.format ? `${base} (${schema.format})` : base;
}

/** The properties of an object schema, its allOf parts merged. */
export function propertiesOf(schema: Schema): { properties: Record<string, Schema>; required: string[] } {
  const parts = [schema, ...(schema.allOf ?? [])];
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const part of parts) {
    Object.assign(properties, part.properties ?? {});
    required.push(...(part.required ?? []));
  }
  return { properties, required };
}
