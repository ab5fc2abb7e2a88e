// Recording messages that happened elsewhere: inbound messages of every channel (POST .../messages/inbound)
// and external outbound call logs (POST .../messages/outbound). A provider's altId makes a repeat idempotent.

import type { Executor } from '../../store/executor.js';
import { findEmail, nextEmailTime } from '../../store/repositories/emails.js';
import { findMessage, findMessageByAltKey, type MessageRow, updateMessage } from '../../store/repositories/messages.js';
import type { Tx } from '../../store/unit-of-work.js';
import { normaliseEmail } from '../contact-fields.js';
import { DomainError } from '../errors.js';
import { newId } from '../ids.js';
import { CALL_CODES, PROCESS_TYPES, type ProcessType } from '../message-types.js';
import { resolveConversation } from './conversation-access.js';
import { moved } from './lifecycle.js';
import { altKeyOf, type Direction, emailRow, type MessageContentFields, messageRow } from './records.js';
import { escapeHtml, summaryPatch, textOf } from './summary.js';

export interface CallData {
  to?: string;
  from?: string;
  status?: string;
}

export interface ProcessInput extends MessageContentFields {
  type: ProcessType;
  conversationId?: string;
  contactId?: string;
  conversationProviderId?: string;
  emailMessageId?: string;
  altId?: string;
  direction?: Direction;
  date?: string;
  call?: CallData;
  userId?: string;
  /** The live chat widget a Live_Chat message came through (set by the visitor API). */
  chatWidgetId?: string;
}

export interface ProcessResult {
  success: true;
  conversationId: string;
  messageId: string;
  message: string;
  contactId: string;
  dateAdded: string;
  emailMessageId?: string;
}

/** An email received by Switchboard itself (inbound SMTP or the parse endpoint), beyond what the API carries. */
export interface ReceivedEmailFacts {
  /** Its own Message-ID, so replies to it thread too. */
  rfcMessageId?: string;
  /** Every To address, where the API has one. */
  to?: string[];
}

export interface ProcessContext {
  /** The unit of work the message is recorded in. */
  tx: Tx;
  /** `tx.db`. */
  db: Executor;
  locationId: string;
  now: number;
  emailDomain: string;
}

function when(date: string | undefined, now: number): number {
  if (date === undefined) return now;
  const at = Date.parse(date);
  if (Number.isNaN(at)) throw new DomainError('VALIDATION_FAILED', ['date must be a valid ISO 8601 date string']);
  return at;
}

function resultOf(message: MessageRow, emailId?: string): ProcessResult {
  return {
    success: true,
    conversationId: message.conversation_id,
    messageId: message.id,
    message: 'Message processed successfully.',
    contactId: message.contact_id,
    dateAdded: new Date(message.date_added).toISOString(),
    ...(emailId ? { emailMessageId: emailId } : {}),
  };
}

/** Calls logged through the API are external calls: the only calls whose recording can be replaced. */
function callMeta(input: ProcessInput): { meta: Record<string, unknown>; subType: string | null } {
  const call = input.call ?? {};
  const meta: Record<string, unknown> = { callStatus: call.status ?? 'completed' };
  if (call.to) meta.to = call.to;
  if (call.from) meta.from = call.from;
  return { meta, subType: 'EXTERNAL_CALL' };
}

export async function processMessage(
  ctx: ProcessContext,
  input: ProcessInput,
  received: ReceivedEmailFacts = {},
): Promise<ProcessResult> {
  const providerId = input.conversationProviderId ?? null;
  const altKey = altKeyOf(providerId, input.altId);
  if (altKey) {
    const existing = await findMessageByAltKey(ctx.db, ctx.locationId, altKey);
    if (existing) return resultOf(existing);
  }
  const { conversation, contact } = await resolveConversation(ctx.db, ctx.locationId, input, ctx.now);
  const type = PROCESS_TYPES[input.type];
  const direction: Direction = input.direction ?? 'inbound';
  const at = when(input.date, ctx.now);
  const isEmail = input.type === 'Email';
  const isCall = CALL_CODES.includes(type);
  if (!isEmail && !isCall && !input.message?.trim() && !(input.attachments?.length ?? 0)) {
    throw new DomainError('VALIDATION_FAILED', ['There is no message or attachments'], {
      canonicalCode: 'CONVERSATIONS_MSG_NO_CONTENT',
    });
  }

  const { meta, subType } = isCall ? callMeta(input) : { meta: {}, subType: null };
  const emailId = isEmail ? newId() : undefined;
  const html = input.html ?? (input.message ? `<p>${escapeHtml(input.message)}</p>` : '');
  const body = isEmail ? textOf(html) : (input.message ?? '');
  const repliedTo =
    isEmail && input.emailMessageId ? await findEmail(ctx.db, ctx.locationId, input.emailMessageId) : undefined;
  if (input.emailMessageId && isEmail && (!repliedTo || repliedTo.conversation_id !== conversation.id)) {
    throw new DomainError('BAD_REQUEST', `Email message not found for emailMessageId:${input.emailMessageId}`);
  }

  let message: MessageRow;
  if (repliedTo) {
    // A reply lands in the thread of the email it answers: one conversation message per thread.
    const thread = await findMessage(ctx.db, ctx.locationId, repliedTo.message_id);
    if (!thread) throw new DomainError('INTERNAL', 'email thread has no conversation message');
    message = thread;
    const status = moved(message.status, { kind: 'newest-email', status: 'delivered' });
    await updateMessage(ctx.db, message.id, { date_updated: ctx.now, body, status });
  } else {
    message = await ctx.tx.messages.insert(
      messageRow({
        locationId: ctx.locationId,
        conversationId: conversation.id,
        contactId: contact.id,
        type,
        direction,
        status: 'delivered',
        body,
        contentType: isEmail ? 'text/html' : 'text/plain',
        attachments: input.attachments,
        meta,
        source: 'api',
        subType,
        userId: input.userId ?? null,
        providerId,
        altId: input.altId ?? null,
        threadId: emailId ?? null,
        chatWidgetId: input.chatWidgetId ?? null,
        at,
        now: ctx.now,
      }),
    );
  }
  if (isEmail && emailId) {
    // The contact's side is the sender of an inbound email and the recipient of an outbound one.
    const contactAddress = contact.email ?? `unknown@${ctx.emailDomain}`;
    const ownAddress = direction === 'inbound' ? `inbox@${ctx.emailDomain}` : `noreply@${ctx.emailDomain}`;
    const from = input.emailFrom
      ? normaliseEmail(input.emailFrom)
      : direction === 'inbound'
        ? contactAddress
        : ownAddress;
    const to = input.emailTo ? normaliseEmail(input.emailTo) : direction === 'inbound' ? ownAddress : contactAddress;
    await ctx.tx.emails.insert(
      emailRow({
        id: emailId,
        messageId: message.id,
        locationId: ctx.locationId,
        conversationId: conversation.id,
        contactId: contact.id,
        threadId: repliedTo?.thread_id ?? emailId,
        direction,
        status: 'delivered',
        subject: input.subject ?? null,
        html,
        attachments: input.attachments ?? [],
        from,
        to: received.to?.length ? received.to : [to],
        cc: (input.emailCc ?? []).map(normaliseEmail),
        bcc: (input.emailBcc ?? []).map(normaliseEmail),
        replyToMessageId: repliedTo?.id ?? null,
        providerId,
        provider: providerId ? 'Custom Provider' : 'Switchboard Email',
        altId: input.altId ?? null,
        source: 'api',
        rfcMessageId: received.rfcMessageId ?? `<${emailId}@${ctx.emailDomain}>`,
        scheduledAt: null,
        // A reply without a date of its own comes after everything already in its thread.
        at: repliedTo && input.date === undefined ? await nextEmailTime(ctx.db, message.id, at) : at,
        now: ctx.now,
      }),
    );
  }
  const patch = summaryPatch(conversation, contact, { type, direction, body, source: 'api', providerId, at }, ctx.now);
  await ctx.tx.conversations.update(ctx.locationId, conversation.id, patch);
  return resultOf(message, emailId);
}

export interface OutboundCallInput {
  type: 'Call';
  conversationId: string;
  conversationProviderId?: string;
  altId?: string;
  date?: string;
  call?: CallData;
  attachments?: string[];
  userId?: string;
}

export async function logOutboundCall(ctx: ProcessContext, input: OutboundCallInput): Promise<ProcessResult> {
  return processMessage(ctx, { ...input, direction: 'outbound' });
}
