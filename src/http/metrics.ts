// Counts every answered request by its route pattern (never the raw URL, which would make a series per id) and
// status, with its latency. Streams handed to the realtime hub (hijacked) are counted by the hub's gauges instead.
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics/registry.js';

/** The route label of a request no route matched (404s, and requests refused before routing). */
const UNMATCHED = 'unmatched';

export function registerRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.is404 ? UNMATCHED : (request.routeOptions.url ?? UNMATCHED),
      status_code: String(reply.statusCode),
    };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });
}
