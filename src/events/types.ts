// Domain events: what use cases say happened, and the recorded form webhooks and the realtime stream read.

/** What a use case emits inside its transaction; the log turns it into a recorded event with a snapshot. */
export type EventIntent =
  | { type: 'message.created' | 'message.updated'; locationId: string; messageId: string; emailId?: string }
  | { type: 'conversation.updated'; locationId: string; conversationId: string; changes: ConversationChange[] }
  | { type: 'conversation.deleted'; locationId: string; conversation: ConversationSnapshot };

export type ConversationChange = 'lastMessage' | 'unreadCount' | 'starred' | 'assignedTo' | 'followers' | 'feedback';

export interface ConversationSnapshot {
  id: string;
  contactId: string;
  locationId: string;
  unreadCount: number;
  inbox: boolean;
  starred: boolean;
  deleted: boolean;
  assignedTo: string | null;
  lastMessageBody: string | null;
  lastMessageType: string | null;
  lastMessageDate: number;
}

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

/** Emits an event from inside a unit of work; it is recorded in the same transaction. */
export type Emit = (intent: EventIntent) => void;

/** Consumers that must see an event in the transaction that records it (webhook fan-out). */
export interface EventSink {
  /** Answers what to do once the transaction has committed, if anything (start the work it queued). */
  onEvents(db: import('../store/executor.js').Executor, events: DomainEvent[]): Promise<(() => void) | undefined>;
}

/** Told after commit which locations have new events (the realtime stream; a bus between servers). */
export interface EventNotifier {
  committed(events: DomainEvent[]): void;
}
