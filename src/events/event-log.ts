// Records domain events in the transaction of the change that caused them (so an event never describes a
// rolled-back write, and a committed write never loses its event), hands them to the in-transaction sinks,
// and tells the notifiers once the unit of work is durable. It is the store's recorder: every unit runs it.
import type { Clock } from '../domain/clock.js';
import { newId } from '../domain/ids.js';
import { isEmailCode } from '../domain/message-types.js';
import { presentEventPayload } from '../presenters/events.js';
import type { Store } from '../store/database.js';
import type { Executor } from '../store/executor.js';
import { type ConversationRow, findConversation } from '../store/repositories/conversations.js';
import { emailIdsByMessage, findEmailById } from '../store/repositories/emails.js';
import { insertEvents, numbersAfterCommit, reserveEventSeqs } from '../store/repositories/events.js';
import { findMessageById } from '../store/repositories/messages.js';
import type { Tx } from '../store/unit-of-work.js';
import type { DomainEvent, EventIntent, EventNotifier, EventSink, RecordedPayload } from './types.js';

function keyOf(intent: EventIntent): string {
  switch (intent.type) {
    case 'message.created':
    case 'message.updated':
      return `message:${intent.messageId}:${intent.emailId ?? ''}`;
    default:
      return `conversation:${intent.type === 'conversation.deleted' ? intent.conversation.id : intent.conversationId}`;
  }
}

/** One event per subject and unit of work: a creation absorbs later updates, conversation changes merge. */
export function coalesce(intents: EventIntent[]): EventIntent[] {
  const byKey = new Map<string, EventIntent>();
  for (const intent of intents) {
    const key = keyOf(intent);
    const earlier = byKey.get(key);
    if (!earlier || intent.type === 'conversation.deleted') {
      byKey.set(key, intent);
    } else if (earlier.type === 'conversation.updated' && intent.type === 'conversation.updated') {
      byKey.set(key, { ...earlier, changes: [...new Set([...earlier.changes, ...intent.changes])] });
    }
  }
  return [...byKey.values()];
}

/** Conversations as the unit of work left them, each read once however many events describe it. */
function conversationReader(db: Executor) {
  const read = new Map<string, Promise<ConversationRow | undefined>>();
  return (locationId: string, id: string) => {
    let row = read.get(id);
    if (!row) {
      row = findConversation(db, locationId, id);
      read.set(id, row);
    }
    return row;
  };
}

async function recordOf(
  db: Executor,
  intent: EventIntent,
  conversationOf: ReturnType<typeof conversationReader>,
): Promise<RecordedPayload | null> {
  if (intent.type === 'conversation.deleted') return { v: 1, conversation: intent.conversation, deleted: true };
  if (intent.type === 'conversation.updated') {
    const row = await conversationOf(intent.locationId, intent.conversationId);
    return row ? { v: 1, conversation: row, changes: intent.changes } : null;
  }
  const message = await findMessageById(db, intent.messageId);
  const conversation = message && (await conversationOf(message.location_id, message.conversation_id));
  if (!message || !conversation) return null;
  const record: RecordedPayload = { v: 1, conversation, message };
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
    const resolved: { intent: EventIntent; record: RecordedPayload }[] = [];
    const conversationOf = conversationReader(db);
    for (const intent of coalesce(intents)) {
      const record = await recordOf(db, intent, conversationOf);
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
        rows.push({ ...event, location_id: locationId, created_at: now, payload: JSON.stringify(record) });
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
