// Recorded events → what webhooks and the realtime stream carry. The event log stores internal records, versioned
// (`v`); this is the one place that turns them into wire shapes, so a change of a message's shape reaches the REST
// API, the streams and the webhooks alike, for events recorded before it too.
import type { ConversationChange, RecordedPayload } from '../events/types.js';
import type { ConversationRow } from '../store/repositories/conversations.js';
import { presentEmail } from './emails.js';
import { presentMessage } from './messages.js';

/** A conversation as events show it (the stream's `conversation`, and what webhooks are built from). */
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

/** An event's content as its consumers read it. */
export interface EventPayload {
  conversation: ConversationSnapshot;
  /** The message as GET /conversations/messages/{id} shows it. */
  message?: Record<string, unknown>;
  /** For email messages: the email this event is about, as GET .../email/{id} shows it. */
  email?: Record<string, unknown>;
  changes?: ConversationChange[];
}

export function presentConversationSnapshot(row: ConversationRow, deleted = false): ConversationSnapshot {
  return {
    id: row.id,
    contactId: row.contact_id,
    locationId: row.location_id,
    unreadCount: Number(row.unread_count),
    inbox: Number(row.inbox) === 1,
    starred: Number(row.starred) === 1,
    deleted,
    assignedTo: row.assigned_to,
    lastMessageBody: row.last_message_body,
    lastMessageType: row.last_message_type,
    lastMessageDate: Number(row.last_message_at),
  };
}

/**
 * A stored payload as consumers read it. Events recorded before payloads were versioned hold the wire shape of
 * their day, and are read as they are.
 */
export function presentEventPayload(stored: RecordedPayload | EventPayload): EventPayload {
  if (!('v' in stored)) return stored;
  const payload: EventPayload = { conversation: presentConversationSnapshot(stored.conversation, stored.deleted) };
  if (stored.message) payload.message = presentMessage(stored.message, stored.emailIds ?? []);
  if (stored.email) payload.email = presentEmail(stored.email) as unknown as Record<string, unknown>;
  if (stored.changes) payload.changes = stored.changes;
  return payload;
}
