// Domain events: what use cases say happened, and the recorded form webhooks and the realtime stream read.

import type { ConversationChange, ConversationSnapshot, EventIntent } from '../store/event-intents.js';

export type { ConversationChange, ConversationSnapshot, EventIntent } from '../store/event-intents.js';

export type DomainEventType = EventIntent['type'];

/** A recorded event: numbered per location, with everything a consumer needs in its payload. */
export interface DomainEvent {
  id: string;
  locationId: string;
  /** Its number in the location's log; null where numbers are given after commit (PostgreSQL, numbering.ts). */
  seq: number | null;
  type: DomainEventType;
  createdAt: number;
  payload: EventPayload;
}

export interface EventPayload {
  conversation: ConversationSnapshot;
  /** The message as GET /conversations/messages/{id} shows it. */
  message?: Record<string, unknown>;
  /** For email messages: the email this event is about, as GET .../email/{id} shows it. */
  email?: Record<string, unknown>;
  changes?: ConversationChange[];
}

/** Consumers that must see an event in the unit of work that records it (webhook fan-out). */
export interface EventSink {
  /** Writes what the events call for in the unit (`tx.afterCommit` for what must wait until it is durable). */
  onEvents(tx: import('../store/unit-of-work.js').Tx, events: DomainEvent[]): Promise<void>;
}

/** Told once a unit of work is durable which locations have new events (the realtime stream; a bus between servers). */
export interface EventNotifier {
  committed(events: DomainEvent[]): void;
}
