// Message rows → GetMessageResponseDto, the item of get-message, get-messages and the export
// (docs/behaviour.md#message-shapes: ISO dates, `type` the number and `messageType` the TYPE_* name).
import { CALL_CODES, isEmailCode, messageTypeName } from '../domain/message-types.js';
import type { MessageRow } from '../store/repositories/messages.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** Only the documented meta: call duration and status for calls, the thread's email ids for emails. */
function metaOf(row: MessageRow, emailIds: readonly string[]): Record<string, unknown> {
  if (isEmailCode(row.type)) return { email: { messageIds: [...emailIds] } };
  if (!CALL_CODES.includes(row.type)) return {};
  const stored = row.meta;
  const meta: Record<string, unknown> = {};
  // The spec types the duration (in seconds) as a string.
  if (stored.callDuration !== undefined && stored.callDuration !== null)
    meta.callDuration = String(stored.callDuration);
  if (stored.callStatus !== undefined) meta.callStatus = stored.callStatus;
  return meta;
}

/** A delivery failure as {code, type, message} (older rows held plain text: {message}). */
function errorOf(row: MessageRow): unknown {
  return row.status === 'failed' && row.error !== null ? row.error : undefined;
}

/**
 * One message. `emailIds` are the ids of the emails of an email thread (meta.email.messageIds), oldest first.
 * Absent optional fields are left out rather than sent as null, as production does.
 */
export function presentMessage(row: MessageRow, emailIds: readonly string[] = []) {
  const message: Record<string, unknown> = {
    id: row.id,
    type: row.type,
    messageType: messageTypeName(row.type),
    locationId: row.location_id,
    contactId: row.contact_id,
    conversationId: row.conversation_id,
    dateAdded: iso(row.date_added),
    dateUpdated: iso(row.date_updated),
    body: row.body ?? '',
    direction: row.direction,
    status: row.status,
    contentType: row.content_type,
    attachments: row.attachments,
    meta: metaOf(row, emailIds),
  };
  const optional: Record<string, unknown> = {
    source: row.source,
    userId: row.user_id,
    conversationProviderId: row.conversation_provider_id,
    chatWidgetId: row.chat_widget_id,
    altId: row.alt_id,
    subType: row.sub_type,
    error: errorOf(row),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== null && value !== undefined) message[key] = value;
  return message;
}
