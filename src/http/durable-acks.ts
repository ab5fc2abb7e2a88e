// A write is acknowledged only once it is on disk: every response to a request that may have written waits for the
// store's durability barrier (group commit on SQLite, see store/wal-sync.ts; immediate on PostgreSQL). If the disk
// fails, the answer becomes a 500: the client must not take the write as kept.
import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/database.js';
import { errorBody } from './errors.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerDurableAcks(app: FastifyInstance, store: Store): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (READS.has(request.method)) return payload;
    try {
      await store.durable();
      return payload;
    } catch (error) {
      // Past serialisation here: the envelope is written out as the error handler would have.
      request.log.error({ err: error }, 'the write could not be made durable');
      reply.code(500).header('content-type', 'application/json; charset=utf-8');
      return JSON.stringify(errorBody(500, 'Internal server error', { traceId: request.traceId }));
    }
  });
}
