// Records domain events in the transaction of the change that caused them (so an event never describes a
// rolled-back write, and a committed write never loses its event), hands them to the in-transaction sinks,
// and tells the notifiers once the unit of work is durable. It is the store's recorder: every unit runs it.
import type { Clock } from '../domain/clock.js';
import { newId } from '../domain/ids.js';
import { isEmailCode } from '../domain/message-types.js';
import { presentEventPayload } from '../presenters/events.js';
import type { Store } from '../store/database.js';
import { type ConversationRow, findConversation } from '../store/repositories/conversations.js';
import { emailIdsByMessage, findEmailById } from '../store/repositories/emails.js';
import { insertEvents, numbersAfterCommit, reserveEventSeqs } from '../store/repositories/events.js';
import { findMessageById, type MessageRow } from '../store/repositories/messages.js';
import type { Tx } from '../store/unit-of-work.js';
import { storedPayload } from './payload.js';
import type { DomainEvent, EventIntent, EventNotifier, EventRecords, EventSink } from './types.js';

type MessageIntent = Extract<EventIntent, { type: 'message.created' | 'message.updated' }>;
type ConversationIntent = Exclude<EventIntent, MessageIntent>;

function isMessageIntent(intent: EventIntent): intent is MessageIntent {
  return intent.type === 'message.created' || intent.type === 'message.updated';
}

/** Conversation changes merge per conversation; a deletion replaces whatever came before it. */
function coalesceConversations(intents: ConversationIntent[]): EventIntent[] {
  const byId = new Map<string, ConversationIntent>();
  for (const intent of intents) {
    const id = intent.type === 'conversation.deleted' ? intent.conversation.id : intent.conversationId;
    const earlier = byId.get(id);
    if (!earlier || intent.type === 'conversation.deleted') byId.set(id, intent);
    else if (earlier.type === 'conversation.updated' && intent.type === 'conversation.updated') {
      byId.set(id, { ...earlier, changes: [...new Set([...earlier.changes, ...intent.changes])] });
    }
  }
  return [...byId.values()];
}

/**
 * One event per message, or per email of a thread the unit touched: a write of the thread's message row folds into
 * the event of its email (an inbound reply updates the thread and creates an email: one message.created about that
 * email), and a creation absorbs updates.
 */
function coalesceMessages(intents: MessageIntent[]): EventIntent[] {
  const emailsOf = new Map<string, Set<string>>();
  for (const { messageId, emailId } of intents) {
    if (emailId) emailsOf.set(messageId, (emailsOf.get(messageId) ?? new Set()).add(emailId));
  }
  const byKey = new Map<string, MessageIntent>();
  for (const intent of intents) {
    const emails = intent.emailId ? [intent.emailId] : [...(emailsOf.get(intent.messageId) ?? [undefined])];
    for (const emailId of emails) {
      const key = `${intent.messageId}:${emailId ?? ''}`;
      const earlier = byKey.get(key);
      const type = earlier?.type === 'message.created' ? earlier.type : intent.type;
      byKey.set(key, {
        type,
        locationId: intent.locationId,
        messageId: intent.messageId,
        ...(emailId ? { emailId } : {}),
      });
    }
  }
  return [...byKey.values()];
}

/**
 * One event per subject and unit of work. A unit's conversation events come before its message events, so a stream
 * sees a conversation's new summary, then the message that caused it.
 */
export function coalesce(intents: EventIntent[]): EventIntent[] {
  return [
    ...coalesceConversations(intents.filter((intent): intent is ConversationIntent => !isMessageIntent(intent))),
    ...coalesceMessages(intents.filter(isMessageIntent)),
  ];
}

/**
 * Conversations as the unit of work left them, each read once however many events describe it: not read at all when
 * the unit's own write returned the row and nothing wrote to conversations since.
 */
function conversationReader(tx: Tx) {
  const read = new Map<string, Promise<ConversationRow | undefined>>();
  return (locationId: string, id: string) => {
    let row = read.get(id);
    if (!row) {
      const written = tx.written<ConversationRow>('conversations', id);
      row = written ? Promise.resolve(written) : findConversation(tx.db, locationId, id);
      read.set(id, row);
    }
    return row;
  };
}

async function recordOf(
  tx: Tx,
  intent: EventIntent,
  conversationOf: ReturnType<typeof conversationReader>,
): Promise<EventRecords | null> {
  const db = tx.db;
  if (intent.type === 'conversation.deleted') return { conversation: intent.conversation, deleted: true };
  if (intent.type === 'conversation.updated') {
    const row = await conversationOf(intent.locationId, intent.conversationId);
    return row ? { conversation: row, changes: intent.changes } : null;
  }
  const message = tx.written<MessageRow>('messages', intent.messageId) ?? (await findMessageById(db, intent.messageId));
  const conversation = message && (await conversationOf(message.location_id, message.conversation_id));
  if (!message || !conversation) return null;
  const record: EventRecords = { conversation, message };
  // Only email messages have emails (an email thread's messages), as the message history also assumes.
  if (isEmailCode(message.type)) record.emailIds = (await emailIdsByMessage(db, [message.id])).get(message.id) ?? [];
  if (intent.emailId) {
    const email = await findEmailById(db, intent.emailId);
    if (email) record.email = email;
  }
  return record;
}

export class EventLog {
  private readonly sinks: EventSink[] = [];
  private readonly notifiers: EventNotifier[] = [];
  private readonly numberedAfterCommit: boolean;

  constructor(
    store: Store,
    private readonly clock: Clock,
  ) {
    this.numberedAfterCommit = numbersAfterCommit(store.engine);
    store.recordWith((tx, intents) => this.record(tx, intents));
  }

  addSink(sink: EventSink): void {
    this.sinks.push(sink);
  }

  addNotifier(notifier: EventNotifier): void {
    this.notifiers.push(notifier);
  }

  private async record(tx: Tx, intents: EventIntent[]): Promise<void> {
    const db = tx.db;
    const resolved: { intent: EventIntent; record: EventRecords }[] = [];
    const conversationOf = conversationReader(tx);
    for (const intent of coalesce(intents)) {
      const record = await recordOf(tx, intent, conversationOf);
      if (record) resolved.push({ intent, record });
    }
    if (resolved.length === 0) return;
    const now = this.clock.now();
    const events: DomainEvent[] = [];
    const rows: (Omit<DomainEvent, 'payload'> & { location_id: string; created_at: number; payload: string })[] = [];
    for (const locationId of new Set(resolved.map((r) => r.intent.locationId))) {
      const ofLocation = resolved.filter((r) => r.intent.locationId === locationId);
      // PostgreSQL numbers events once their transaction has committed (numbering.ts), so writers never queue.
      const first = this.numberedAfterCommit ? null : await reserveEventSeqs(db, locationId, ofLocation.length);
      ofLocation.forEach(({ intent, record }, index) => {
        const seq = first === null ? null : first + index;
        const event = { id: newId(), locationId, seq, type: intent.type, createdAt: now };
        rows.push({
          ...event,
          location_id: locationId,
          created_at: now,
          payload: JSON.stringify(storedPayload(record)),
        });
        events.push({ ...event, payload: presentEventPayload(record) });
      });
    }
    await insertEvents(
      db,
      rows.map(({ location_id, seq, id, type, payload, created_at }) => ({
        location_id,
        seq,
        id,
        type,
        payload,
        created_at,
      })),
    );
    for (const sink of this.sinks) await sink.onEvents(tx, events);
    for (const notifier of this.notifiers) tx.afterCommit(() => notifier.committed(events));
  }
}
