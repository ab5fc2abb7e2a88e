// Prometheus metrics (docs/operations.md#metrics): outside the API, so no Version header and no rate limit; behind
// METRICS_TOKEN when one is set.
import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../domain/errors.js';
import { bearer } from '../http/pipeline.js';
import type { Services } from '../services.js';
import type { Route } from './route.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function metricsRoutes({ metrics, config }: Pick<Services, 'metrics' | 'config'>): Route[] {
  return [
    {
      method: 'GET',
      url: '/metrics',
      access: { kind: 'public' },
      handler: async (request, reply) => {
        const presented = bearer(request);
        // Digests compared, so the comparison takes as long whatever the token's length.
        const expected = config.metricsToken;
        if (expected !== null && !(presented && timingSafeEqual(digest(presented), digest(expected)))) {
          throw new DomainError('METRICS_TOKEN_INVALID', 'Invalid metrics token');
        }
        reply.header('content-type', metrics.contentType);
        return metrics.exposition();
      },
    },
  ];
}
