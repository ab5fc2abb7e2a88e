// What request logs show: Fastify's usual request fields, with credentials that came in the URL (EventSource
// streams take their token as a query parameter) masked.
import type { FastifyRequest } from 'fastify';

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
