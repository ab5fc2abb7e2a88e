// createApp(deps): the Fastify instance with the request pipeline, the one error mapping and every route.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { type Clock, systemClock } from './domain/clock.js';
import { errorBody, handleError, handleFrameworkError } from './http/errors.js';
import { registerPipeline } from './http/pipeline.js';
import { validatorCompiler } from './http/validators.js';
import { allRoutes } from './routes/index.js';
import { createServices, type Services } from './services.js';
import type { Store } from './store/database.js';

export interface AppDeps {
  config: Config;
  store: Store;
  clock?: Clock;
}

export interface App {
  server: FastifyInstance;
  services: Services;
}

/**
 * The official SDK sends `Content-Type: application/json` on every request, DELETEs without a body
 * included: an empty JSON body is no body, not a parse error.
 */
function acceptEmptyJsonBodies(server: FastifyInstance) {
  const parse = server.getDefaultJsonParser('error', 'error');
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' || (typeof body === 'string' && body.trim() === '')) return done(null, undefined);
    parse(request, body as string, done);
  });
}

export function createApp({ config, store, clock = systemClock }: AppDeps): App {
  const services = createServices(config, store, clock);
  const server = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    frameworkErrors: handleFrameworkError,
  });
  server.setValidatorCompiler(validatorCompiler);
  acceptEmptyJsonBodies(server);

  registerPipeline(server, services.auth);
  server.setErrorHandler(handleError);
  server.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody(404, `Cannot ${request.method} ${request.url.split('?')[0]}`));
  });

  for (const route of allRoutes(services)) {
    server.route({
      method: route.method,
      url: route.url,
      config: { access: route.access },
      ...(route.schema ? { schema: route.schema } : {}),
      handler: route.handler,
    });
  }
  return { server, services };
}
