// Keeps a conversation's summary true as messages arrive: last message fields, manual/automated, unread count.
import type { ConversationPatch, ConversationRow } from '../../store/repositories/conversations.js';
import { contactSearchText, conversationSearchText } from '../../store/search-text.js';

export { textOf } from '../../store/search-text.js';

import { isSummaryCode, messageTypeName } from '../message-types.js';

export interface SummaryMessage {
  type: number;
  direction: 'inbound' | 'outbound';
  body: string | null;
  source: string | null;
  providerId: string | null;
  at: number;
}

const AUTOMATED_SOURCES = new Set(['workflow', 'campaign', 'bulk_actions']);

export function outboundAction(source: string | null): 'automated' | 'manual' {
  return source && AUTOMATED_SOURCES.has(source) ? 'automated' : 'manual';
}

/** Plain text made safe to embed in HTML (the inverse of what textOf decodes). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * The conversation patch for a message that has just happened (sent, received or logged). Messages older
 * than the current last message (a back-dated import) only count towards unread.
 */
export function summaryPatch(
  conversation: ConversationRow,
  contact: Parameters<typeof contactSearchText>[0],
  message: SummaryMessage,
  now: number,
): ConversationPatch {
  const patch: ConversationPatch = { date_updated: now };
  if (message.direction === 'inbound') patch.unread_count = conversation.unread_count + 1;
  if (!isSummaryCode(message.type)) return patch;
  const isLatest = conversation.last_message_type === null || message.at >= conversation.last_message_at;
  if (!isLatest) return patch;
  const body = message.body ?? '';
  patch.last_message_body = body;
  patch.last_message_type = messageTypeName(message.type);
  patch.last_message_direction = message.direction;
  patch.last_message_at = message.at;
  patch.last_message_provider_id = message.providerId;
  patch.search_text = conversationSearchText(contactSearchText(contact), body);
  if (message.direction === 'outbound') {
    const action = outboundAction(message.source);
    patch.last_outbound_action = action;
    if (action === 'manual') patch.last_manual_message_at = message.at;
  }
  return patch;
}
