// Recorded events → what webhooks and the realtime stream carry. The event log stores internal records, versioned
// (`v`); this is the one place that turns them into wire shapes, so a change of a message's shape reaches the REST
// API, the streams and the webhooks alike, for events recorded before it too.
import type { ConversationChange, EventRecords } from '../events/types.js';
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
    inbox: row.inbox,
    starred: row.starred,
    deleted,
    assignedTo: row.assigned_to,
    lastMessageBody: row.last_message_body,
    lastMessageType: row.last_message_type,
    lastMessageDate: Number(row.last_message_at),
  };
}

/** An event's records as consumers read them. */
export function presentEventPayload(records: EventRecords): EventPayload {
  const payload: EventPayload = { conversation: presentConversationSnapshot(records.conversation, records.deleted) };
  if (records.message) payload.message = presentMessage(records.message, records.emailIds ?? []);
  if (records.email) payload.email = presentEmail(records.email) as unknown as Record<string, unknown>;
  if (records.changes) payload.changes = records.changes;
  return payload;
}
