// Reads the retained domain event log for the streams: by location and sequence number, oldest first.
import { presentStoredPayload } from '../events/payload.js';
import type { EventPayload, RecordedPayload } from '../events/types.js';
import type { Store } from '../store/database.js';
import { currentEventSeq, type EventRow, eventsAfter } from '../store/repositories/events.js';
import type { StoredEvent } from './types.js';

export const READ_BATCH = 200;

function storedEvent(row: EventRow): StoredEvent {
  return {
    id: row.id,
    locationId: row.location_id,
    seq: Number(row.seq),
    type: row.type as StoredEvent['type'],
    createdAt: Number(row.created_at),
    payload: presentStoredPayload(JSON.parse(row.payload) as RecordedPayload | EventPayload),
  };
}

export class EventReader {
  constructor(private readonly store: Store) {}

  // Both wait, after reading, until every commit before the read is durable: a client never sees an event (or an
  // event number) that a crash could still take back and reuse.

  async after(locationId: string, seq: number, limit = READ_BATCH): Promise<StoredEvent[]> {
    const rows = await eventsAfter(this.store.db, locationId, seq, limit);
    await this.store.durable();
    return rows.map(storedEvent);
  }

  /** The location's latest durable seq: every event up to it is either in the log or pruned from it. */
  async head(locationId: string): Promise<number> {
    const head = (await currentEventSeq(this.store.db, locationId)) ?? 0;
    await this.store.durable();
    return head;
  }
}
