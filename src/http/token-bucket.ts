// Rate limits for untrusted callers (live chat visitors): a token bucket per key (session, IP address), in
// memory. Per server, so N servers allow N times the rate: a bound on abuse, not an exact quota.
import type { FastifyReply } from 'fastify';
import { DomainError } from '../domain/errors.js';

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    /** Tokens a full bucket holds: the burst. */
    private readonly capacity: number,
    /** Tokens added per minute. */
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    /** Keys remembered at most; the least recently used are forgotten first (a full bucket is no loss). */
    private readonly maxKeys = 50_000,
  ) {}

  /** Takes a token for `key`, or answers how many milliseconds until one is there. */
  take(key: string): { ok: true } | { ok: false; retryAfterMs: number } {
    const now = this.now();
    const known = this.buckets.get(key);
    const bucket = known ?? { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
    bucket.at = now;
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (!known && this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (bucket.tokens < 1)
      return { ok: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) * 60_000) / this.perMinute) };
    bucket.tokens -= 1;
    return { ok: true };
  }

  /** Takes a token or throws the 429, telling the client when to retry (Retry-After). */
  consume(key: string, reply: FastifyReply): void {
    const taken = this.take(key);
    if (taken.ok) return;
    const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
    reply.header('retry-after', String(seconds));
    throw new DomainError('RATE_LIMITED', 'Too many requests, slow down', { retryAfter: seconds });
  }
}
