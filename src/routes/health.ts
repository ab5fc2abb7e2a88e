// Liveness: answers 200 once the app is listening (migrations ran before listen).
import type { Route } from './route.js';

export function healthRoutes(): Route[] {
  return [
    {
      method: 'GET',
      url: '/healthz',
      access: { kind: 'public' },
      handler: async () => ({ status: 'ok' }),
    },
  ];
}
