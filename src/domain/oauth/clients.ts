// OAuth client credentials of apps: the client id HighLevel's marketplace gives (`<appId>-<suffix>`, which the
// SDK splits to find the app id), a secret shown once and kept as a digest, and the redirect URIs codes may go to.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../errors.js';
import { hashToken } from '../ids.js';

const SUFFIX_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export function newClientId(appId: string): string {
  // 256 is not a multiple of 36: skip the bytes that would bias the draw.
  const suffix: string[] = [];
  while (suffix.length < 8) {
    for (const byte of randomBytes(16))
      if (byte < 252 && suffix.length < 8) suffix.push(SUFFIX_ALPHABET.charAt(byte % 36));
  }
  return `${appId}-${suffix.join('')}`;
}

/** A secret like HighLevel's (a UUID): random, so a SHA-256 digest is enough to keep it. */
export function newClientSecret(): { secret: string; hash: string } {
  const secret = randomUUID();
  return { secret, hash: hashToken(secret) };
}

export function secretMatches(secret: string, hash: string | null): boolean {
  if (hash === null) return false;
  return timingSafeEqual(Buffer.from(hashToken(secret)), Buffer.from(hash));
}

/** Why a redirect URI cannot be registered, or null: an absolute http(s) URL without credentials or fragment. */
export function redirectUriProblem(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http:// or https:// URL';
  if (url.username || url.password) return 'must not carry credentials';
  if (uri.includes('#')) return 'must not have a fragment';
  return null;
}

export function requireRedirectUris(uris: string[]): string[] {
  const problems = uris.flatMap((uri) => {
    const problem = redirectUriProblem(uri);
    return problem ? [`redirectUris ${problem} (got ${uri})`] : [];
  });
  if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', problems);
  return [...new Set(uris)];
}
