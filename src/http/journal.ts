// Records every public API call of a location in the sandbox journal (docs/sandbox.md#a-journal-of-every-call): its
// method, route, query, status, duration, caller and bodies (trimmed to JOURNAL_MAX_BODY_BYTES). Headers are never
// recorded, so neither is the Authorization header; a token sent as a query parameter is masked. Every call pays for
// this, so it keeps to references and cuts: the body text as it arrived, the answer as Fastify serialised it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { routeTemplate } from '../domain/sandbox/route-template.js';
import type { JournalRecorder } from '../journal/recorder.js';

declare module 'fastify' {
  interface FastifyRequest {
    journalResponse: string | null;
  }
}

/** Query parameters that carry credentials (EventSource's token), recorded masked. */
const SECRET_PARAMETERS = ['access_token'];

/** Cuts text to `max` bytes of UTF-8 (a character cut in two becomes U+FFFD), copying no more than the cut. */
export function trimmed(text: string, max: number): string {
  if (text.length * 3 <= max) return text;
  // Every UTF-16 unit is at least one byte of UTF-8: the first `max` bytes lie within the first `max` units.
  const head = text.length > max ? text.slice(0, max) : text;
  if (head === text && Buffer.byteLength(text) <= max) return text;
  return Buffer.from(head).subarray(0, max).toString();
}

function queryOf(request: FastifyRequest): string {
  const query = request.query as Record<string, unknown> | null;
  if (query === null || typeof query !== 'object') return '{}';
  let masked: Record<string, unknown> | null = null;
  for (const name of SECRET_PARAMETERS) {
    if (query[name] === undefined) continue;
    masked ??= { ...query };
    masked[name] = '[redacted]';
  }
  return JSON.stringify(masked ?? query);
}

function requestBodyOf(request: FastifyRequest, max: number): string | null {
  if (request.jsonText !== null) return trimmed(request.jsonText, max);
  const body = request.body;
  if (body === undefined || body === null) return null;
  // Streamed bodies (files, signed uploads) are not read twice.
  if (typeof body === 'object' && typeof (body as { pipe?: unknown }).pipe === 'function') return null;
  return trimmed(typeof body === 'string' ? body : JSON.stringify(body), max);
}

function responseBodyOf(payload: unknown, max: number): string | null {
  if (typeof payload === 'string') return trimmed(payload, max);
  if (Buffer.isBuffer(payload)) return trimmed(payload.subarray(0, max).toString(), max);
  return null;
}

/** Route templates as the journal shows them, worked out once per route. */
const templates = new Map<string, string>();

function templateOf(route: string | undefined): string | null {
  if (!route) return null;
  let template = templates.get(route);
  if (template === undefined) {
    template = routeTemplate(route);
    templates.set(route, template);
  }
  return template;
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

export function registerJournal(app: FastifyInstance, journal: JournalRecorder): void {
  if (!journal.enabled) return;
  app.decorateRequest('journalResponse', null);
  journal.logErrorsTo((error) => app.log.error({ err: error }, 'the request journal could not be written'));
  const max = journal.maxBodyBytes;
  const maxRead = journal.maxReadBodyBytes;

  const journaled = (request: FastifyRequest) => {
    const kind = request.routeOptions.config?.access?.kind;
    // The console's own calls (a signed-in session) are not the integrator's code: the journal is for the latter.
    return kind === 'location' && request.auth !== null && !request.viaConsole;
  };

  // Callback hooks, not async ones: no promise per call.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (journaled(request)) {
      const read = request.method === 'GET' && reply.statusCode < 300;
      request.journalResponse = responseBodyOf(payload, read ? maxRead : max);
    }
    done(null, payload);
  });

  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    const auth = request.auth;
    if (journaled(request) && auth) {
      journal.record({
        location_id: auth.locationId,
        method: request.method,
        path: pathOf(request.url),
        route: templateOf(request.routeOptions.url),
        query: queryOf(request),
        status: reply.statusCode,
        duration_ms: Math.round(reply.elapsedTime * 100) / 100,
        token_id: auth.tokenId,
        app_id: auth.appId,
        trace_id: request.traceId,
        request_body: requestBodyOf(request, max),
        response_body: request.journalResponse,
        created_at: journal.now(),
      });
    }
    done();
  });
}
