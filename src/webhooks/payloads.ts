// What each domain event tells apps (docs/behaviour.md#webhooks): the webhook types, the scope each needs, and their
// fields. Pure: the fan-out hands in the rows an event's snapshot does not carry (phone numbers, the RFC Message-ID).
import { messageTypeName } from '../domain/message-types.js';
import type { Scope } from '../domain/scopes.js';
import type { DomainEvent } from '../events/types.js';
import type { EmailRow } from '../store/repositories/emails.js';
import type { MessageRow } from '../store/repositories/messages.js';

export const WEBHOOK_TYPES = ['InboundMessage', 'OutboundMessage', 'ConversationUnreadUpdate', 'LCEmailStats'] as const;
export type WebhookType = (typeof WEBHOOK_TYPES)[number];

/** The scope an app needs to receive each type. */
export const WEBHOOK_SCOPES: Record<WebhookType, Scope> = {
  InboundMessage: 'conversations/message.readonly',
  OutboundMessage: 'conversations/message.readonly',
  ConversationUnreadUpdate: 'conversations.readonly',
  LCEmailStats: 'conversations/message.readonly',
};

export interface WebhookContent {
  type: WebhookType;
  /** Everything but the envelope (type, locationId, appId, timestamp, webhookId). */
  fields: Record<string, unknown>;
}

/** What the fan-out looked up for an event: the message and email rows as they stand in its transaction. */
export interface EventRows {
  message?: MessageRow;
  email?: EmailRow;
  companyId: string | null;
}

/** HighLevel's channel names in message webhooks; other types go by their TYPE_* name without the prefix. */
const CHANNEL_NAMES: Record<number, string> = {
  1: 'CALL',
  2: 'SMS',
  3: 'Email',
  5: 'WebChat',
  10: 'VoiceMail',
  11: 'FB',
  15: 'GMB',
  18: 'IG',
  19: 'WhatsApp',
  22: 'SMS',
  23: 'Email',
  24: 'CALL',
  29: 'Live Chat',
  32: 'FB',
  33: 'IG',
  34: 'CALL',
  37: 'Internal Comment',
};

/** Built-in email statuses as the email service's events (LCEmailStats `event`); others tell nothing new. */
const EMAIL_EVENTS: Record<string, string> = {
  sent: 'accepted',
  delivered: 'delivered',
  failed: 'failed',
  undelivered: 'failed',
  opened: 'opened',
  read: 'opened',
  clicked: 'clicked',
};

type Json = Record<string, unknown>;

function compact(fields: Json): Json {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== null));
}

function messageFields(message: Json, rows: EventRows): Json {
  const type = Number(message.type);
  const email = rows.email;
  const meta = rows.message?.meta ?? {};
  const fields: Json = {
    attachments: email ? email.attachments : message.attachments,
    body: email ? email.body : message.body,
    contactId: message.contactId,
    contentType: email ? email.content_type : message.contentType,
    conversationId: message.conversationId,
    dateAdded: email ? new Date(email.date_added).toISOString() : message.dateAdded,
    direction: message.direction,
    messageType: CHANNEL_NAMES[type] ?? messageTypeName(type).replace(/^TYPE_/, ''),
    messageTypeId: type,
    messageTypeString: message.messageType,
    status: email ? email.status : message.status,
    messageId: message.id,
    userId: message.userId,
    conversationProviderId: email ? email.conversation_provider_id : message.conversationProviderId,
    source: message.source,
    chatWidgetId: message.chatWidgetId,
  };
  const callMeta = message.meta as { callDuration?: string; callStatus?: string } | undefined;
  if (callMeta?.callStatus) fields.callStatus = callMeta.callStatus;
  if (callMeta?.callDuration !== undefined) fields.callDuration = Number(callMeta.callDuration);
  if (email) {
    const cc = email.cc;
    const bcc = email.bcc;
    Object.assign(fields, {
      emailMessageId: email.id,
      threadId: email.thread_id,
      provider: email.provider,
      subject: email.subject,
      from: email.from_address,
      to: email.to_addresses.join(', '),
      cc: cc.join(', '),
      bcc: bcc.join(', '),
      ccList: cc,
      bccList: bcc,
    });
  } else {
    // Phone channels: the numbers each side used, as the message recorded them.
    if (typeof meta.from === 'string') fields.from = meta.from;
    if (typeof meta.to === 'string') fields.to = meta.to;
  }
  return compact(fields);
}

/** LCEmailStats: the shape of the email service's event, for an email Switchboard itself sent. */
function emailStatsFields(event: DomainEvent, email: EmailRow, eventName: string, rows: EventRows): Json {
  const to = email.to_addresses;
  const recipient = to[0] ?? '';
  return compact({
    companyId: rows.companyId,
    webhookPayload: {
      event: eventName,
      id: event.id,
      timestamp: Math.floor(event.createdAt / 1000),
      'log-level': eventName === 'failed' ? 'error' : 'info',
      recipient,
      'recipient-domain': recipient.split('@')[1] ?? '',
      tags: [`loc_${event.locationId}`],
      message: {
        attachments: email.attachments,
        headers: {
          'message-id': email.rfc_message_id.replace(/^<|>$/g, ''),
          from: email.from_address,
          to: to.join(', '),
        },
      },
    },
    // Switchboard's extension: which email and message the event is about.
    emailMessageId: email.id,
    messageId: email.message_id,
  });
}

/** The webhooks an event raises, before they are addressed to apps. */
export function webhooksOf(event: DomainEvent, rows: EventRows): WebhookContent[] {
  const { conversation, message, changes } = event.payload;
  switch (event.type) {
    case 'conversation.deleted':
    case 'conversation.updated': {
      if (event.type === 'conversation.updated' && !changes?.includes('unreadCount')) return [];
      const { id, contactId, unreadCount, inbox, starred, deleted } = conversation;
      return [{ type: 'ConversationUnreadUpdate', fields: { id, contactId, unreadCount, inbox, starred, deleted } }];
    }
    case 'message.created': {
      if (!message) return [];
      const type = message.direction === 'inbound' ? 'InboundMessage' : 'OutboundMessage';
      return [{ type, fields: messageFields(message, rows) }];
    }
    case 'message.updated': {
      // Only emails of the built-in service have stats of their own; providers report theirs themselves.
      const email = rows.email;
      if (!email || email.conversation_provider_id || email.direction !== 'outbound') return [];
      const eventName = EMAIL_EVENTS[email.status];
      return eventName ? [{ type: 'LCEmailStats', fields: emailStatsFields(event, email, eventName, rows) }] : [];
    }
  }
}
