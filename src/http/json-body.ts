// JSON request bodies: an empty body is no body, and nesting is bounded before anything is parsed
// (src/domain/json-depth.ts).
import type { FastifyInstance } from 'fastify';
import { jsonNestsDeeperThan, tooDeep } from '../domain/json-depth.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The JSON body as it arrived (the request journal records it without serialising the parsed body again). */
    jsonText: string | null;
  }
}

/**
 * The application/json parser of every route. The official SDK sends `Content-Type: application/json` on every
 * request, DELETEs without a body included: an empty JSON body is no body, not a parse error.
 */
export function registerJsonBodies(server: FastifyInstance, maxDepth: number) {
  const parse = server.getDefaultJsonParser('error', 'error');
  server.removeContentTypeParser('application/json');
  server.decorateRequest('jsonText', null);
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    request.jsonText = text;
    if (jsonNestsDeeperThan(text, maxDepth)) return done(tooDeep(maxDepth), undefined);
    parse(request, text, done);
  });
}
