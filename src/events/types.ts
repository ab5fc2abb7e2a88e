// Domain events: what use cases say happened, the internal record the log stores of each, and the recorded form
// webhooks and the realtime stream read (rendered by src/presenters/events.ts).

import type { EventPayload } from '../presenters/events.js';
import type { ConversationChange, EventIntent } from '../store/event-intents.js';
import type { ConversationRow, StoredConversationRow } from '../store/repositories/conversations.js';
import type { EmailRecord, StoredEmailRow } from '../store/repositories/emails.js';
import type { MessageRecord, StoredMessageRow } from '../store/repositories/messages.js';

export type { ConversationSnapshot, EventPayload } from '../presenters/events.js';
export type { ConversationChange, EventIntent } from '../store/event-intents.js';

export type DomainEventType = EventIntent['type'];

/** What an event is about, as the unit of work left it: records, which the presenters render as the REST API does. */
export interface EventRecords {
  conversation: ConversationRow;
  /** The conversation was deleted by the unit (the record is as it was just before). */
  deleted?: boolean;
  message?: MessageRecord;
  /** The thread's email ids, for an email message. */
  emailIds?: string[];
  email?: EmailRecord;
  changes?: ConversationChange[];
}

/**
 * What the log stores of an event: its records encoded as their rows are stored (payload.ts), never a wire shape.
 * `v` numbers this layout; a new one gets a new number and the reader decodes both.
 */
export interface RecordedPayload {
  v: 1;
  conversation: StoredConversationRow;
  deleted?: boolean;
  message?: StoredMessageRow;
  emailIds?: string[];
  email?: StoredEmailRow;
  changes?: ConversationChange[];
}

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

/** Consumers that must see an event in the unit of work that records it (webhook fan-out). */
export interface EventSink {
  /** Writes what the events call for in the unit (`tx.afterCommit` for what must wait until it is durable). */
  onEvents(tx: import('../store/unit-of-work.js').Tx, events: DomainEvent[]): Promise<void>;
}

/** Told once a unit of work is durable which locations have new events (the realtime stream; a bus between servers). */
export interface EventNotifier {
  committed(events: DomainEvent[]): void;
}
