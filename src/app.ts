// createApp(deps): the Fastify instance with the request pipeline, the one error mapping and every route.
import multipart from '@fastify/multipart';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RouteHandlerMethod,
} from 'fastify';
import type { Config } from './config.js';
import { type Clock, systemClock, VirtualClock } from './domain/clock.js';
import { registerDurableAcks } from './http/durable-acks.js';
import { errorBody, handleError, handleFrameworkError } from './http/errors.js';
import { registerApiFaults } from './http/faults.js';
import { registerJournal } from './http/journal.js';
import { registerJsonBodies } from './http/json-body.js';
import { type LogStream, loggerOptions } from './http/logging.js';
import { registerRequestMetrics } from './http/metrics.js';
import { registerPipeline } from './http/pipeline.js';
import { registerRateLimits } from './http/rate-limit.js';
import { validatorCompiler } from './http/validators.js';
import { allRoutes } from './routes/index.js';
import type { Route } from './routes/route.js';
import { createServices, type Services } from './services.js';
import type { Store } from './store/database.js';
import { startCountFolding } from './store/location-counts.js';

/** The most of a refused body read and thrown away to keep its connection (nginx reads the rest of such bodies too). */
const DISCARD_UNREAD_BYTES = 1024 * 1024;

export interface AppDeps {
  config: Config;
  store: Store;
  clock?: Clock;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: LogStream;
}

export interface App {
  server: FastifyInstance;
  services: Services;
}

/** The clock the configuration asks for: the system's, or a virtual one that moves only when told (CLOCK=virtual). */
function configuredClock(config: Config): Clock {
  if (config.sandbox.clock === 'real') return systemClock;
  return new VirtualClock(config.sandbox.clockStart ?? Date.now());
}

export function createApp({ config, store, clock = configuredClock(config), logStream }: AppDeps): App {
  const services = createServices(config, store, clock);
  const server = Fastify({
    ...loggerOptions(config, logStream),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    frameworkErrors: handleFrameworkError,
    // Idle, slow and numerous connections are bounded (docs/security.md); Node checks the request deadlines this often.
    connectionTimeout: config.http.idleTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    requestTimeout: config.http.requestTimeoutMs,
    http: { headersTimeout: config.http.headersTimeoutMs, connectionsCheckingInterval: 1_000 },
  });
  server.server.maxConnections = config.http.maxConnections;
  server.setValidatorCompiler(validatorCompiler);
  registerJsonBodies(server, config.http.maxJsonDepth);

  registerRequestMetrics(server, services.metrics);
  registerPipeline(server, services.auth, services.consoleSessions);
  registerDurableAcks(server, store);
  // After the pipeline's own hooks: rate limits count requests that passed validation
  // (docs/behaviour.md#request-pipeline).
  registerRateLimits(server, services.rateLimits);
  // After the rate limits, so a fault's 429 shows the caller's real budget.
  registerApiFaults(server, services.sandbox.faults, services.rateLimits);
  registerJournal(server, services.sandbox.recorder);
  // Recorded requests still in memory are written before the store closes.
  server.addHook('onClose', async () => services.sandbox.recorder.flush());
  server.addHook('onReady', async () => services.rateLimits.start(server.log));
  server.addHook('onClose', async () => services.rateLimits.close());
  // Realtime: the bus starts with the server; open streams end before it closes (they would hold it open).
  server.addHook('onReady', async () => services.realtime.start(server.log));
  server.addHook('preClose', async () => services.realtime.closeStreams());
  server.addHook('onClose', async () => services.realtime.close());
  server.addHook('onReady', async () => services.housekeeping.start(server.log));
  server.addHook('onClose', async () => services.housekeeping.stop());
  if (store.engine === 'postgres') {
    let stopFolding = () => {};
    server.addHook('onReady', async () => {
      stopFolding = startCountFolding(store.db, (error) => server.log.error({ err: error }, 'folding counts'));
    });
    server.addHook('onClose', async () => stopFolding());
  }
  server.setErrorHandler(handleError);
  server.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody(404, `Cannot ${request.method} ${request.url.split('?')[0]}`));
  });

  const routes = allRoutes(services);
  const add = (scope: FastifyInstance, route: Route) =>
    scope.route({
      method: route.method,
      url: route.url,
      config: { access: route.access },
      ...(route.schema ? { schema: route.schema } : {}),
      // Each handler is typed from its own route's schema (src/routes/route.ts); registration takes them all alike.
      handler: route.handler as RouteHandlerMethod,
    });
  for (const route of routes) if (!route.accepts) add(server, route);
  // Routes taking files get their body parsers in scopes of their own: every other route keeps refusing them.
  // A file refused before all of it arrived (too large, wrong type) is answered at once. A large or unsized rest is
  // never read: the connection closes. A small declared rest is read and discarded (Node does so once the answer
  // is sent), so a client still writing it gets the answer rather than a broken pipe, and keeps its connection.
  const closeIfUnread = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.raw.complete) return;
    const declared = Number(request.headers['content-length']);
    if (!(declared <= DISCARD_UNREAD_BYTES)) reply.header('connection', 'close');
  };
  server.register(async (scope) => {
    scope.addHook('onSend', closeIfUnread);
    // Files are streamed by the handler (request.parts()), never buffered; limits are set per request.
    await scope.register(multipart);
    for (const route of routes) if (route.accepts === 'multipart') add(scope, route);
  });
  server.register(async (scope) => {
    scope.addHook('onSend', closeIfUnread);
    scope.removeAllContentTypeParsers();
    // Nothing parsed: the handler streams request.raw itself.
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    for (const route of routes) if (route.accepts === 'raw') add(scope, route);
  });
  server.register(async (scope) => {
    // Form bodies become an object of strings (a repeated field: its last value); JSON bodies are taken as anywhere.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    for (const route of routes) if (route.accepts === 'form') add(scope, route);
  });
  return { server, services };
}
