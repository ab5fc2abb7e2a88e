// Identifier formats: HighLevel's 20-character base62 ids, and private integration tokens.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { customAlphabet } from 'nanoid';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export const newId: () => string = customAlphabet(BASE62, 20);

/** Apps and conversation providers have 24-hex ids, as HighLevel's do (docs/behaviour.md#identifiers). */
export function newHexId(): string {
  return randomBytes(12).toString('hex');
}

export function newPrivateIntegrationToken(): string {
  return `pit-${randomUUID()}`;
}

/** Tokens are stored as SHA-256 digests: they are random and long, so no slow hash is needed. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function isPrivateIntegrationToken(token: string): boolean {
  return token.startsWith('pit-');
}
