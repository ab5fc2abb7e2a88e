// Conversation rows → the wire shapes of each operation (spec, plus the production fields of
// docs/behaviour.md#search-items).
import { conversationTypeName } from '../domain/conversation-types.js';
import type { ContactRow } from '../store/repositories/contacts.js';
import type { ConversationContact, ConversationRow } from '../store/repositories/conversations.js';

const iso = (ms: number) => new Date(ms).toISOString();

function contactFields(contact: ConversationContact | undefined) {
  const fullName = contact?.full_name ?? '';
  return {
    fullName,
    contactName: fullName || contact?.company_name || contact?.email || contact?.phone || '',
    email: contact?.email ?? '',
    phone: contact?.phone ?? '',
  };
}

/** Properties whose value is absent are left out rather than sent as null, as production does. */
function withOptional<T extends Record<string, unknown>>(base: T, optional: Record<string, unknown>) {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(optional)) if (value !== null && value !== undefined) out[key] = value;
  return out;
}

/** An item of GET /conversations/search. `sort` is what a client passes back as startAfterDate. */
export function presentSearchItem(
  row: ConversationRow & { sort_value: number },
  contact: ContactRow | undefined,
  followers: string[],
  mentions: string[],
) {
  return withOptional(
    {
      id: row.id,
      contactId: row.contact_id,
      locationId: row.location_id,
      lastMessageBody: row.last_message_body ?? '',
      type: conversationTypeName(row.type),
      unreadCount: row.unread_count,
      ...contactFields(contact),
      dateAdded: row.date_added,
      dateUpdated: row.date_updated,
      lastMessageDate: row.last_message_at,
      lastManualMessageDate: row.last_manual_message_at,
      inbox: row.inbox,
      starred: row.starred,
      followers,
      mentions,
      tags: contact ? contact.tags : [],
      sort: [Number(row.sort_value), row.seq],
    },
    {
      lastMessageType: row.last_message_type,
      lastMessageDirection: row.last_message_direction,
      lastOutboundMessageAction: row.last_outbound_action,
      lastMessageConversationProviderId: row.last_message_provider_id,
      assignedTo: row.assigned_to,
      companyName: contact?.company_name,
      profilePhoto: contact?.attributes.profilePhoto,
      feedback: row.feedback,
      dueAt: row.due_at,
    },
  );
}

/** GET /conversations/{id}: GetConversationByIdResponse (type as a number). */
export function presentConversation(row: ConversationRow, contact: ConversationContact | undefined) {
  return withOptional(
    {
      id: row.id,
      locationId: row.location_id,
      contactId: row.contact_id,
      deleted: false,
      inbox: row.inbox,
      type: row.type,
      unreadCount: row.unread_count,
      starred: row.starred,
      lastMessageBody: row.last_message_body ?? '',
      lastMessageDate: row.last_message_at,
      dateAdded: row.date_added,
      dateUpdated: row.date_updated,
      ...contactFields(contact),
    },
    {
      assignedTo: row.assigned_to,
      lastMessageType: row.last_message_type,
      lastMessageDirection: row.last_message_direction,
      lastOutboundMessageAction: row.last_outbound_action,
      feedback: row.feedback,
    },
  );
}

/** PUT /conversations/{id}: ConversationDto inside {success, conversation}. */
export function presentConversationDto(row: ConversationRow) {
  return withOptional(
    {
      id: row.id,
      locationId: row.location_id,
      contactId: row.contact_id,
      lastMessageBody: row.last_message_body ?? '',
      lastMessageDate: String(row.last_message_at),
      unreadCount: row.unread_count,
      inbox: row.inbox,
      starred: row.starred,
      deleted: false,
    },
    { assignedTo: row.assigned_to, lastMessageType: row.last_message_type, feedback: row.feedback },
  );
}

/** POST /conversations/: ConversationCreateResponseDto (ISO dates). */
export function presentCreatedConversation(row: ConversationRow) {
  return withOptional(
    {
      id: row.id,
      dateUpdated: iso(row.date_updated),
      dateAdded: iso(row.date_added),
      deleted: false,
      contactId: row.contact_id,
      locationId: row.location_id,
      lastMessageDate: iso(row.last_message_at),
    },
    { assignedTo: row.assigned_to },
  );
}
