// Liveness (/healthz: answers 200 once the app is listening; migrations ran before listen) and readiness (/readyz:
// 200 while the database, its migrations and the blob store are all in order, else 503 naming what is not).
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
        const { ready, checks } = await readiness.check(request.log);
        reply.code(ready ? 200 : 503);
        return { status: ready ? 'ready' : 'unready', checks };
      },
    },
  ];
}
