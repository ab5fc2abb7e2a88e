// Rate limits in the request pipeline (docs/behaviour.md#request-pipeline): counted after validation, before the
// handler, per app (or private token without one) per location. Every answer to an authenticated API request carries
// the five X-RateLimit-* headers, HighLevel's, which the SDK's rateLimitRetry reads; over a limit: 429 in the error
// envelope.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.js';
import type { RateDecision, RateLimitService } from '../domain/rate-limits.js';

/** Who spends the budget, and where; null for requests no budget applies to (public, admin, refused tokens). */
function subjectOf(
  request: FastifyRequest,
): { subject: string; locationId: string | null; companyId: string | null } | null {
  if (request.auth) {
    const { appId, tokenId, locationId } = request.auth;
    return { subject: appId ? `app:${appId}` : `token:${tokenId}`, locationId, companyId: null };
  }
  if (request.company) {
    return { subject: `app:${request.company.appId}`, locationId: null, companyId: request.company.companyId };
  }
  return null;
}

function setHeaders(reply: FastifyReply, { limits, usage }: RateDecision): void {
  reply.header('x-ratelimit-max', String(limits.burstMax));
  reply.header('x-ratelimit-remaining', String(Math.max(0, limits.burstMax - usage.burstCount)));
  reply.header('x-ratelimit-interval-milliseconds', String(limits.intervalMs));
  reply.header('x-ratelimit-limit-daily', String(limits.dailyMax));
  reply.header('x-ratelimit-daily-remaining', String(Math.max(0, limits.dailyMax - usage.dailyCount)));
}

export function registerRateLimits(app: FastifyInstance, limits: RateLimitService): void {
  if (!limits.enabled) return;
  let lastWarning = 0;

  /** The counter unreachable (Redis down) lets requests through: a sandbox's limits are not worth an outage. */
  async function decide(request: FastifyRequest, consume: boolean): Promise<RateDecision | null> {
    const who = subjectOf(request);
    if (!who) return null;
    try {
      return await limits.check(who.subject, who.locationId, who.companyId, consume);
    } catch (error) {
      if (performance.now() - lastWarning > 10_000) {
        lastWarning = performance.now();
        request.log.warn({ err: error }, 'rate limits could not be counted; letting requests through');
      }
      return null;
    }
  }

  app.addHook('preHandler', async (request, reply) => {
    const decision = await decide(request, true);
    if (!decision) return;
    setHeaders(reply, decision);
    if (!decision.usage.allowed) {
      const seconds = Math.max(1, Math.ceil((decision.retryAt - limits.now()) / 1000));
      reply.header('retry-after', String(seconds));
      throw new DomainError('RATE_LIMITED', 'Too Many Requests');
    }
  });

  // Answers refused before the count (403, 422, …) still tell the caller where its budget stands.
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.hasHeader('x-ratelimit-max')) return payload;
    const decision = await decide(request, false);
    if (decision) setHeaders(reply, decision);
    return payload;
  });
}

/**
 * A 429 made by a sandbox fault carries what a real one does: the five X-RateLimit-* headers, the burst shown spent,
 * and Retry-After for the next window. Whether or not rate limits are on, so a client's retry logic sees HighLevel's.
 */
export async function setRefusedHeaders(request: FastifyRequest, reply: FastifyReply, limits: RateLimitService) {
  const who = subjectOf(request);
  const windows = await limits.windowLimits(who?.locationId ?? null);
  const counted = who ? await limits.check(who.subject, who.locationId, who.companyId, false).catch(() => null) : null;
  const dailyCount = counted?.usage.dailyCount ?? 0;
  const now = limits.now();
  setHeaders(reply, {
    limits: windows,
    usage: { allowed: false, burstCount: windows.burstMax, dailyCount },
    retryAt: now + windows.intervalMs,
  });
  const nextWindow = (Math.floor(now / windows.intervalMs) + 1) * windows.intervalMs;
  reply.header('retry-after', String(Math.max(1, Math.ceil((nextWindow - now) / 1000))));
}
