// Sandbox faults on the public API (docs/sandbox.md#faults-on-demand): a matching call waits, and/or is answered with
// the fault's status and body instead of running. Checked after authentication and rate limits, so the fault can
// match the caller's location, and a 429 carries the rate-limit headers HighLevel sends.
import type { FastifyInstance } from 'fastify';
import type { RateLimitService } from '../domain/rate-limits.js';
import type { FaultRegistry } from '../domain/sandbox/faults.js';
import { routeTemplate } from '../domain/sandbox/route-template.js';
import { errorBody } from './errors.js';
import { setRefusedHeaders } from './rate-limit.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function registerApiFaults(app: FastifyInstance, faults: FaultRegistry, limits: RateLimitService): void {
  app.addHook('preHandler', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (access?.kind !== 'location' && access?.kind !== 'company') return;
    // Faults are aimed at the integrator's client; the console, which shows what they do, keeps working.
    if (request.viaConsole) return;
    const fault = faults.take('api', {
      method: request.method,
      route: request.routeOptions.url ? routeTemplate(request.routeOptions.url) : null,
      locationId: request.auth?.locationId ?? null,
    });
    if (!fault) return;
    const { status, body, delayMs } = fault.effect;
    if (delayMs) await sleep(delayMs);
    if (status === undefined) return;
    if (status === 429) await setRefusedHeaders(request, reply, limits);
    reply.header('x-sandbox-fault', fault.id);
    const answer = body ?? errorBody(status, status === 429 ? 'Too Many Requests' : 'Injected by a sandbox fault');
    return reply.code(status).send(answer);
  });
}
