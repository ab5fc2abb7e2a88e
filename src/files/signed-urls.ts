// Signed upload URLs: an HMAC-SHA256 over the method, the path, the size limit and the expiry, so none of them can
// be changed without the server noticing. Verification is constant-time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedRequest {
  method: string;
  /** The server's own path (no public URL prefix, no query). */
  path: string;
  maxBytes: number;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export function signature(secret: string, request: SignedRequest): string {
  const payload = [request.method.toUpperCase(), request.path, String(request.maxBytes), String(request.expiresAt)];
  return createHmac('sha256', secret).update(payload.join('\n')).digest('hex');
}

export type Verdict = 'valid' | 'invalid' | 'expired';

/** Whether `given` signs the request, and if so whether it is still valid at `now`. */
export function verifySignature(secret: string, request: SignedRequest, given: string, now: number): Verdict {
  const expected = Buffer.from(signature(secret, request), 'hex');
  const actual = /^[0-9a-f]{64}$/.test(given) ? Buffer.from(given, 'hex') : Buffer.alloc(0);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return 'invalid';
  return now > request.expiresAt ? 'expired' : 'valid';
}
