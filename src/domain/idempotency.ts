// Idempotency-Key support: a repeat of a request with the same key and body answers the first result.
import { createHash } from 'node:crypto';
import { DomainError } from './errors.js';

/** JSON with object keys sorted, so two equal bodies hash alike whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export function keyReused(): DomainError {
  return new DomainError('VALIDATION_FAILED', ['Idempotency-Key has already been used with a different request body']);
}

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
