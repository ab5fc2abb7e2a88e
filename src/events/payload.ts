// An event's records ↔ the payload the log stores (RecordedPayload, versioned): records are encoded as their rows are
// stored, so an event recorded today reads back exactly as one recorded before records existed.

import { presentEventPayload } from '../presenters/events.js';
import { decodeConversation, encodeConversation } from '../store/repositories/conversations.js';
import { decodeEmail, encodeEmail } from '../store/repositories/emails.js';
import { decodeMessage, encodeMessage } from '../store/repositories/messages.js';
import type { EventPayload, EventRecords, RecordedPayload } from './types.js';

export function storedPayload(records: EventRecords): RecordedPayload {
  const { conversation, message, email, ...rest } = records;
  const stored: RecordedPayload = { v: 1, conversation: encodeConversation(conversation), ...rest };
  if (message) stored.message = encodeMessage(message);
  if (email) stored.email = encodeEmail(email);
  return stored;
}

/** The wire shape of a stored payload: events recorded before payloads were versioned hold the one of their day. */
export function presentStoredPayload(stored: RecordedPayload | EventPayload): EventPayload {
  return 'v' in stored ? presentEventPayload(recordsOf(stored)) : stored;
}

export function recordsOf(stored: RecordedPayload): EventRecords {
  const { v: _v, conversation, message, email, ...rest } = stored;
  const records: EventRecords = { conversation: decodeConversation(conversation), ...rest };
  if (message) records.message = decodeMessage(message);
  if (email) records.email = decodeEmail(email);
  return records;
}
