// Liveness (/healthz: answers 200 once the app is listening; migrations ran before listen) and readiness (/readyz:
// 200 while the database, its migrations and the blob store are all in order, else 503 naming what is not, and 503
// `stopping` from the moment the server begins to shut down).
import type { Services } from '../services.js';
import type { Route } from './route.js';

export function healthRoutes({ readiness }: Pick<Services, 'readiness'>): Route[] {
  return [
    {
      method: 'GET',
      url: '/healthz',
      access: { kind: 'public' },
      handler: async () => ({ status: 'ok' }),
    },
    {
      method: 'GET',
      url: '/readyz',
      access: { kind: 'public' },
      handler: async (request, reply) => {
        const readyNow = await readiness.check(request.log);
        reply.code(readyNow.ready ? 200 : 503);
        if ('stopping' in readyNow) return { status: 'stopping' };
        return { status: readyNow.ready ? 'ready' : 'unready', checks: readyNow.checks };
      },
    },
  ];
}
