// Request validators: query strings and path parameters arrive as text and are coerced to the schema's types;
// JSON bodies are not coerced, so `{"name": 42}` is a 422 as it is at HighLevel.
import { Ajv, type Options } from 'ajv';
import formats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const common: Options = { allErrors: true, strict: false, removeAdditional: false, useDefaults: true };

function createAjv(coerceTypes: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({ ...common, coerceTypes });
  // ajv-formats is CommonJS with a default export; NodeNext sees the module object.
  (formats as unknown as { default: (ajv: Ajv) => void }).default(ajv);
  return ajv;
}

const forText = createAjv('array');
const forBodies = createAjv(false);

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? forBodies : forText).compile(schema as object);
