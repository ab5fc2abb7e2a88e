// Services whose every member is another inert stand-in, for tests that only build the route list.
import type { Services } from '../../src/services.js';

/**
 * Services whose every member is another inert stand-in (a number where arithmetic needs one): building the route
 * list only closes over services and reads a few limits; no handler runs here.
 */
export function inertServices(): Services {
  const inert = (): unknown =>
    new Proxy(() => undefined, {
      get: (_target, key) => (key === Symbol.toPrimitive ? () => 1 : key === 'then' ? undefined : inert()),
      apply: () => inert(),
    });
  return inert() as Services;
}
