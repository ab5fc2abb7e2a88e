// Request validators: query strings and path parameters arrive as text and are coerced to the schema's types;
// JSON bodies are not coerced, so `{"name": 42}` is a 422 as it is at HighLevel.
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
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

/** A validator Fastify calls as Ajv's own: the answer, then `errors` read off the function. */
interface LazyValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/**
 * Each route's schemas are compiled on their first request, not at start: compiling every schema of the spec was
 * most of the time a server took to become ready, and a route never called costs nothing. The first call pays a
 * millisecond or two, once per process.
 */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  let compiled: ValidateFunction | undefined;
  const validate: LazyValidator = (data) => {
    compiled ??= (httpPart === 'body' ? forBodies : forText).compile(schema as object);
    const valid = compiled(data) as boolean;
    validate.errors = compiled.errors;
    return valid;
  };
  return validate;
};
