// The retained event log of a location as the streams read it (payloads rendered by the presenters): in seq order, once every committed event has its
// number (PostgreSQL numbers events just after their transaction commits, src/events/numbering.ts).
import { presentStoredPayload } from '../../src/events/payload.js';
import type { Harness } from './harness.js';

export async function loggedEvents(harness: Harness, locationId: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = await harness.server.store.db
      .selectFrom('domain_events')
      .select(['seq', 'type', 'id', 'payload'])
      .where('location_id', '=', locationId)
      .orderBy('seq')
      .execute();
    if (rows.every((row) => row.seq !== null) || Date.now() > deadline) {
      return rows.map((row) => ({
        seq: Number(row.seq),
        type: row.type,
        id: row.id,
        // Loosely typed, as tests pick fields out of it.
        payload: presentStoredPayload(JSON.parse(row.payload)) as any,
      }));
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
