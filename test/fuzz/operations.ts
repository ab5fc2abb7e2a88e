// Every operation of the vendored specs, resolved ($refs inlined): what the fuzzer and the bounds tests call.
import fs from 'node:fs';
import path from 'node:path';
import { resolveSchema, SPEC_DIR } from '../../src/http/openapi.js';

type Json = Record<string, any>;

const SPECS = [
  'v3/conversations.json',
  'reference/contacts.json',
  'reference/oauth.json',
  'reference/locations.json',
  'switchboard/extensions.json',
];

export interface SpecOperation {
  id: string;
  method: string;
  path: string;
  parameters: Json[];
  body?: { contentType: string; schema: Json };
}

export function operations(): SpecOperation[] {
  const out: SpecOperation[] = [];
  for (const file of SPECS) {
    const doc = JSON.parse(fs.readFileSync(path.join(SPEC_DIR, file), 'utf8')) as Json;
    for (const [route, methods] of Object.entries(doc.paths as Json)) {
      for (const [method, raw] of Object.entries(methods as Json)) {
        if (!raw?.operationId) continue;
        const operation = resolveSchema(raw, file) as Json;
        const [contentType, media] = Object.entries((operation.requestBody?.content ?? {}) as Json)[0] ?? [];
        out.push({
          id: `${file}:${operation.operationId}`,
          method: method.toUpperCase(),
          path: route,
          parameters: (operation.parameters ?? []) as Json[],
          ...(contentType ? { body: { contentType, schema: (media?.schema ?? {}) as Json } } : {}),
        });
      }
    }
  }
  return out;
}
