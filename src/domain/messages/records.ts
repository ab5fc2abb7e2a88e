// Building message and email rows: ids, channels, content types and the RFC Message-ID used for threading.
import type { EmailRow } from '../../store/repositories/emails.js';
import type { NewMessage } from '../../store/repositories/messages.js';
import type { MessageDirection, MessageStatus } from '../../store/schema.js';
import { newId } from '../ids.js';
import { EXPORT_CHANNELS, type ExportChannel } from '../message-types.js';

export type Direction = MessageDirection;

/** The content and addressing fields send and inbound bodies share. */
export interface MessageContentFields {
  message?: string;
  html?: string;
  subject?: string;
  attachments?: string[];
  emailFrom?: string;
  emailTo?: string;
  emailCc?: string[];
  emailBcc?: string[];
}

export function channelOf(type: number): ExportChannel | 'Other' {
  for (const [channel, codes] of Object.entries(EXPORT_CHANNELS) as [ExportChannel, readonly number[]][]) {
    if (codes.includes(type)) return channel;
  }
  return 'Other';
}

export interface MessageDraft {
  locationId: string;
  conversationId: string;
  contactId: string;
  type: number;
  direction: Direction;
  status: MessageStatus;
  body: string | null;
  contentType?: string;
  attachments?: string[];
  meta?: Record<string, unknown>;
  source?: string | null;
  subType?: string | null;
  userId?: string | null;
  providerId?: string | null;
  altId?: string | null;
  threadId?: string | null;
  chatWidgetId?: string | null;
  scheduledAt?: number | null;
  at: number;
  now: number;
}

/**
 * The key that makes a provider's altId idempotent within a location. The provider id is length-prefixed, so no
 * pair of ids containing ':' can spell another pair's key.
 */
export function altKeyOf(providerId: string | null | undefined, altId: string | null | undefined): string | null {
  const provider = providerId ?? '';
  return altId ? `${provider.length}:${provider}:${altId}` : null;
}

export function messageRow(draft: MessageDraft, id: string = newId()): NewMessage {
  return {
    id,
    location_id: draft.locationId,
    conversation_id: draft.conversationId,
    contact_id: draft.contactId,
    type: draft.type,
    channel: channelOf(draft.type),
    direction: draft.direction,
    status: draft.status,
    body: draft.body,
    content_type: draft.contentType ?? 'text/plain',
    attachments: draft.attachments ?? [],
    meta: draft.meta ?? {},
    source: draft.source ?? null,
    sub_type: draft.subType ?? null,
    user_id: draft.userId ?? null,
    conversation_provider_id: draft.providerId ?? null,
    alt_key: altKeyOf(draft.providerId, draft.altId),
    alt_id: draft.altId ?? null,
    thread_id: draft.threadId ?? null,
    chat_widget_id: draft.chatWidgetId ?? null,
    error: null,
    scheduled_at: draft.scheduledAt ?? null,
    date_added: draft.at,
    date_updated: draft.now,
  };
}

export interface EmailDraft {
  id: string;
  messageId: string;
  locationId: string;
  conversationId: string;
  contactId: string;
  threadId: string;
  direction: Direction;
  status: MessageStatus;
  subject: string | null;
  html: string;
  attachments: string[];
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyToMessageId: string | null;
  providerId: string | null;
  provider: string;
  altId: string | null;
  source: string | null;
  rfcMessageId: string;
  scheduledAt: number | null;
  at: number;
  now: number;
}

export function emailRow(draft: EmailDraft): EmailRow {
  return {
    id: draft.id,
    message_id: draft.messageId,
    location_id: draft.locationId,
    conversation_id: draft.conversationId,
    contact_id: draft.contactId,
    thread_id: draft.threadId,
    alt_id: draft.altId,
    subject: draft.subject,
    body: draft.html,
    direction: draft.direction,
    status: draft.status,
    content_type: 'text/html',
    attachments: draft.attachments,
    provider: draft.provider,
    from_address: draft.from,
    to_addresses: draft.to,
    cc: draft.cc,
    bcc: draft.bcc,
    reply_to_message_id: draft.replyToMessageId,
    source: draft.source,
    conversation_provider_id: draft.providerId,
    rfc_message_id: draft.rfcMessageId,
    events: {},
    event_first_at: {},
    recipients: [],
    open_tracking: true,
    scheduled_at: draft.scheduledAt,
    date_added: draft.at,
    date_updated: draft.now,
  };
}

/** An RFC 5322 Message-ID for an email Switchboard sends; replies reference it in In-Reply-To/References. */
export function rfcMessageIdFor(emailId: string, domain: string): string {
  return `<${emailId}@${domain}>`;
}
