// Turns Ajv's errors into the class-validator style messages HighLevel's 422 bodies carry.
import type { FastifySchemaValidationError } from 'fastify';

function propertyName(error: FastifySchemaValidationError): string {
  const path = error.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  const missing = (error.params as { missingProperty?: string }).missingProperty;
  if (missing) return path ? `${path}.${missing}` : missing;
  return path || 'value';
}

function describe(error: FastifySchemaValidationError): string {
  const name = propertyName(error);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${name} should not be empty`;
    case 'enum':
      return `${name} must be one of the following values: ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'type': {
      const type = String(params.type);
      if (type.includes('number') || type.includes('integer'))
        return `${name} must be a number conforming to the specified constraints`;
      if (type.includes('boolean')) return `${name} must be a boolean value`;
      if (type.includes('array')) return `${name} must be an array`;
      if (type.includes('object')) return `${name} must be an object`;
      return `${name} must be a string`;
    }
    case 'maximum':
      return `${name} must not be greater than ${params.limit}`;
    case 'minimum':
      return `${name} must not be less than ${params.limit}`;
    case 'maxLength':
      return `${name} must be shorter than or equal to ${params.limit} characters`;
    case 'minLength':
      return `${name} must be longer than or equal to ${params.limit} characters`;
    case 'maxItems':
      return `${name} must contain no more than ${params.limit} elements`;
    case 'minItems':
      return `${name} must contain at least ${params.limit} elements`;
    case 'pattern':
    case 'format':
      return `${name} must be a valid ${String(params.format ?? 'value')}`;
    case 'additionalProperties':
      return `property ${String(params.additionalProperty)} should not exist`;
    default:
      return `${name} ${error.message ?? 'is invalid'}`;
  }
}

export function validationMessages(errors: FastifySchemaValidationError[]): string[] {
  // anyOf/oneOf add a summary error after the branch errors; the branch errors already say it.
  const relevant = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if');
  return [...new Set((relevant.length > 0 ? relevant : errors).map(describe))];
}
