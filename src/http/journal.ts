// Records every public API call of a location in the sandbox journal (docs/sandbox.md#a-journal-of-every-call): its
// method, route, query, status, duration, caller and bodies (trimmed to JOURNAL_MAX_BODY_BYTES). Headers are never
// recorded, so neither is the Authorization header; a token sent as a query parameter is masked.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { newId } from '../domain/ids.js';
import { routeTemplate } from '../domain/sandbox/route-template.js';
import type { JournalRecorder } from '../journal/recorder.js';

declare module 'fastify' {
  interface FastifyRequest {
    journalResponse: string | null;
  }
}

/** Query parameters that carry credentials (EventSource's token), recorded masked. */
const SECRET_PARAMETERS = new Set(['access_token']);

/** Cuts text to `max` bytes of UTF-8 (a character cut in two becomes U+FFFD). */
export function trimmed(text: string, max: number): string {
  if (text.length * 3 <= max || Buffer.byteLength(text) <= max) return text;
  return Buffer.from(text).subarray(0, max).toString();
}

function queryOf(request: FastifyRequest): string {
  const query = request.query;
  if (query === null || typeof query !== 'object') return '{}';
  const entries = Object.entries(query as Record<string, unknown>).map(([key, value]) => [
    key,
    SECRET_PARAMETERS.has(key) ? '[redacted]' : value,
  ]);
  return JSON.stringify(Object.fromEntries(entries));
}

function requestBodyOf(request: FastifyRequest, max: number): string | null {
  const body = request.body;
  if (body === undefined || body === null) return null;
  // Streamed bodies (files, signed uploads) are not read twice.
  if (typeof body === 'object' && typeof (body as { pipe?: unknown }).pipe === 'function') return null;
  return trimmed(typeof body === 'string' ? body : JSON.stringify(body), max);
}

export function registerJournal(app: FastifyInstance, journal: JournalRecorder): void {
  if (!journal.enabled) return;
  app.decorateRequest('journalResponse', null);
  journal.logErrorsTo((error) => app.log.error({ err: error }, 'the request journal could not be written'));

  const journaled = (request: FastifyRequest) => {
    const kind = request.routeOptions.config?.access?.kind;
    // The console's own calls (a signed-in session) are not the integrator's code: the journal is for the latter.
    return kind === 'location' && request.auth !== null && !request.viaConsole;
  };

  app.addHook('onSend', async (request, _reply, payload) => {
    if (!journaled(request)) return payload;
    if (typeof payload === 'string') request.journalResponse = trimmed(payload, journal.maxBodyBytes);
    else if (Buffer.isBuffer(payload)) {
      request.journalResponse = trimmed(payload.subarray(0, journal.maxBodyBytes).toString(), journal.maxBodyBytes);
    }
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    if (!journaled(request) || !request.auth) return;
    const route = request.routeOptions.url;
    journal.record({
      id: newId(),
      location_id: request.auth.locationId,
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      route: route ? routeTemplate(route) : null,
      query: queryOf(request),
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 100) / 100,
      token_id: request.auth.tokenId,
      app_id: request.auth.appId,
      trace_id: request.traceId,
      request_body: requestBodyOf(request, journal.maxBodyBytes),
      response_body: request.journalResponse,
      created_at: journal.now(),
    });
  });
}
