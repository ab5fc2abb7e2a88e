// What request logs show: Fastify's usual request fields, with credentials that came in the URL (EventSource
// streams take their token as a query parameter) masked; every line of a request carries its traceId.
import { createRequire } from 'node:module';
import { type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify';
import type { Config } from '../config.js';
import { newRequestId } from './pipeline.js';

/** Where log lines are written (pino's destination). */
export interface LogStream {
  write(line: string): void;
}

const CREDENTIALS = /([?&](?:access_token|token)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(CREDENTIALS, '$1[redacted]');
}

export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/**
 * LOG_FORMAT=pretty: each JSON line made readable (pino-pretty, loaded only then) as it is written, in this thread,
 * so nothing is lost when the process exits.
 */
function prettyStream(destination: LogStream): LogStream {
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  const format = prettyFactory({ translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  return { write: (line) => destination.write(format(line)) };
}

/** The logger options of the app: JSON lines by default, to `stream` when given (tests read them). */
export function loggerOptions(
  config: Pick<Config, 'logLevel' | 'logFormat'>,
  stream?: LogStream,
): Pick<FastifyServerOptions, 'logger' | 'genReqId' | 'logController' | 'requestIdHeader'> {
  const destination = config.logFormat === 'pretty' ? prettyStream(stream ?? process.stdout) : stream;
  return {
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            serializers: { req: serializeRequest },
            ...(destination ? { stream: destination } : {}),
          },
    // One id per request, the traceId clients are given, under that name in every log line of the request.
    genReqId: newRequestId,
    logController: new LogController({ requestIdLogLabel: 'traceId' }),
    requestIdHeader: false,
  };
}
