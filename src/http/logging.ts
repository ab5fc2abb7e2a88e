// What request logs show: Fastify's usual request fields, with credentials that came in the URL (EventSource
// streams take their token as a query parameter) masked; every line of a request carries its traceId.
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

/** The logger options of the app: JSON lines by default, to `stream` when given (tests read them). */
export function loggerOptions(
  config: Pick<Config, 'logLevel'>,
  stream?: LogStream,
): Pick<FastifyServerOptions, 'logger' | 'genReqId' | 'logController' | 'requestIdHeader'> {
  return {
    logger:
      config.logLevel === 'silent'
        ? false
        : { level: config.logLevel, serializers: { req: serializeRequest }, ...(stream ? { stream } : {}) },
    // One id per request, the traceId clients are given, under that name in every log line of the request.
    genReqId: newRequestId,
    logController: new LogController({ requestIdLogLabel: 'traceId' }),
    requestIdHeader: false,
  };
}
