// Sending a message (POST /conversations/messages): per-channel validation, the contact's conversation,
// email threading, scheduling, and the delivery job, all in one transaction.

import type { Executor } from '../../store/executor.js';
import type { ContactRow } from '../../store/repositories/contacts.js';
import { addMembers, type ConversationRow } from '../../store/repositories/conversations.js';
import { type EmailRow, emailsOfMessage, findEmail, nextEmailTime } from '../../store/repositories/emails.js';
import { findThreadMessage, type MessageRow, updateMessage } from '../../store/repositories/messages.js';
import type { Tx } from '../../store/unit-of-work.js';
import { normaliseEmail, normalisePhone } from '../contact-fields.js';
import { DomainError } from '../errors.js';
import { newId } from '../ids.js';
import { isSummaryCode, PHONE_CODES, SEND_TYPES, type SendType } from '../message-types.js';
import { conversationForContact, requireContact } from './conversation-access.js';
import { type MessageStatus, moved } from './lifecycle.js';
import { emailRow, type MessageContentFields, messageRow, rfcMessageIdFor } from './records.js';
import { summaryPatch, textOf } from './summary.js';

export interface SendInput extends MessageContentFields {
  type: SendType;
  contactId: string;
  replyMessageId?: string;
  threadId?: string;
  emailReplyMode?: 'reply' | 'reply_all';
  scheduledTimestamp?: number;
  conversationProviderId?: string;
  fromNumber?: string;
  toNumber?: string;
  userId?: string;
  mentions?: string[];
  forward?: Record<string, unknown>;
}

export interface SendResult {
  conversationId: string;
  messageId: string;
  emailMessageId?: string;
  messageIds: string[];
  msg: string;
  status: 'pending' | 'delivered';
  forwardData?: Record<string, unknown>;
}

export interface SendContext {
  /** The unit of work the message is recorded in. */
  tx: Tx;
  /** `tx.db`. */
  db: Executor;
  locationId: string;
  now: number;
  emailDomain: string;
  /** Enqueues, in the unit, the delivery of a message (or one email of a thread) at `runAt`. */
  scheduleDelivery(delivery: { messageId: string; emailId?: string }, runAt: number): Promise<void>;
}

const MAX_SCHEDULE_AHEAD_MS = 10 * 365 * 24 * 3600 * 1000;

function noContent(): DomainError {
  return new DomainError('VALIDATION_FAILED', ['There is no message or attachments'], {
    canonicalCode: 'CONVERSATIONS_MSG_NO_CONTENT',
  });
}

/** scheduledTimestamp is UTC seconds; a past time sends now, a millisecond value is refused rather than guessed. */
function scheduledAt(input: SendInput, now: number): number | null {
  if (input.scheduledTimestamp === undefined) return null;
  const at = input.scheduledTimestamp * 1000;
  if (at - now > MAX_SCHEDULE_AHEAD_MS) {
    throw new DomainError('VALIDATION_FAILED', [
      'scheduledTimestamp must be a UTC time in seconds, at most ten years ahead',
    ]);
  }
  return at > now ? at : null;
}

function hasContent(input: SendInput, text: string | undefined): boolean {
  return Boolean(text?.trim()) || (input.attachments?.length ?? 0) > 0;
}

/** The phone a phone-channel message goes to: `toNumber`, else the contact's. */
function destinationPhone(input: SendInput, contact: ContactRow): string {
  if (input.toNumber) return normalisePhone(input.toNumber);
  if (contact.phone) return contact.phone;
  throw new DomainError('BAD_REQUEST', 'Contact does not have a phone number', {
    canonicalCode: 'CONVERSATIONS_CONTACT_NO_PHONE',
  });
}

function invalidEmailTo(message: string): DomainError {
  return new DomainError('BAD_REQUEST', message, { canonicalCode: 'CONVERSATIONS_MSG_INVALID_EMAILTO' });
}

/** emailTo must be one of the contact's addresses; without it, the contact's address is used. */
function destinationEmail(input: SendInput, contact: ContactRow): string {
  if (!contact.email) throw invalidEmailTo('Contact does not have an email address');
  if (input.emailTo === undefined) return contact.email;
  // Compared as text: an address that is not even an email is just as much not the contact's (400, not 422).
  if (input.emailTo.trim().toLowerCase() !== contact.email_lower) {
    throw invalidEmailTo(`emailTo ${input.emailTo} is not an email address of the contact`);
  }
  return contact.email;
}

function addresses(list: string[] | undefined): string[] {
  return [...new Set((list ?? []).map(normaliseEmail))];
}

interface EmailThreading {
  thread: MessageRow | null;
  replyTo: EmailRow | null;
}

async function threadingFor(db: Executor, input: SendInput, conversation: ConversationRow, locationId: string) {
  const threading: EmailThreading = { thread: null, replyTo: null };
  if (input.replyMessageId) {
    threading.replyTo = (await findEmail(db, locationId, input.replyMessageId)) ?? null;
    if (!threading.replyTo || threading.replyTo.conversation_id !== conversation.id) {
      throw new DomainError('BAD_REQUEST', `Email message not found for replyMessageId:${input.replyMessageId}`);
    }
  }
  const threadId = input.threadId ?? threading.replyTo?.thread_id;
  if (threadId) {
    threading.thread = (await findThreadMessage(db, conversation.id, threadId)) ?? null;
    if (!threading.thread) throw new DomainError('BAD_REQUEST', `Email thread not found for threadId:${threadId}`);
  }
  return threading;
}

async function sendEmail(
  ctx: SendContext,
  input: SendInput,
  contact: ContactRow,
  conversation: ConversationRow,
  at: number | null,
): Promise<{ message: MessageRow; email: EmailRow }> {
  if (!hasContent(input, input.html)) throw noContent();
  const to = destinationEmail(input, contact);
  const threading = await threadingFor(ctx.db, input, conversation, ctx.locationId);
  const cc = addresses(input.emailCc);
  if (input.emailReplyMode === 'reply_all' && threading.replyTo) {
    const original = threading.replyTo;
    const others = [...original.to_addresses, ...original.cc];
    // Everyone on the original but the contact (already `to`) and our own addresses.
    const ours = (address: string) => address.toLowerCase().endsWith(`@${ctx.emailDomain.toLowerCase()}`);
    for (const address of others)
      if (address.toLowerCase() !== to.toLowerCase() && !ours(address) && !cc.includes(address)) cc.push(address);
  }
  const emailId = newId();
  const status: MessageStatus = at ? 'scheduled' : 'pending';
  // A reply by threadId alone answers the thread's latest email: its subject carries over as for replyMessageId.
  const answered =
    threading.replyTo ?? (threading.thread ? (await emailsOfMessage(ctx.db, threading.thread.id)).at(-1) : undefined);
  const subject = input.subject ?? (answered?.subject ? `Re: ${answered.subject.replace(/^Re:\s*/i, '')}` : null);
  let message = threading.thread;
  if (!message) {
    message = await ctx.tx.messages.insert(
      messageRow({
        locationId: ctx.locationId,
        conversationId: conversation.id,
        contactId: contact.id,
        type: SEND_TYPES.Email,
        direction: 'outbound',
        status,
        body: textOf(input.html ?? ''),
        contentType: 'text/html',
        attachments: input.attachments,
        source: 'api',
        userId: input.userId ?? null,
        providerId: input.conversationProviderId ?? null,
        threadId: emailId,
        scheduledAt: at,
        at: ctx.now,
        now: ctx.now,
      }),
    );
  } else if (at) {
    // A scheduled reply has not happened yet: the thread keeps its status and last text until it is sent.
    await updateMessage(ctx.db, message.id, { date_updated: ctx.now });
  } else {
    // The thread's row now shows its newest email: the summary below must see that body, not the first one's.
    const patch = {
      status: moved(message.status, { kind: 'newest-email', status: 'pending' }),
      date_updated: ctx.now,
      body: textOf(input.html ?? ''),
    };
    await updateMessage(ctx.db, message.id, patch);
    message = { ...message, ...patch };
  }
  const email = emailRow({
    id: emailId,
    messageId: message.id,
    locationId: ctx.locationId,
    conversationId: conversation.id,
    contactId: contact.id,
    threadId: message.thread_id ?? emailId,
    direction: 'outbound',
    status,
    subject,
    html: input.html ?? '',
    attachments: input.attachments ?? [],
    from: input.emailFrom ? normaliseEmail(input.emailFrom) : `noreply@${ctx.emailDomain}`,
    to: [to],
    cc,
    bcc: addresses(input.emailBcc),
    replyToMessageId: threading.replyTo?.id ?? null,
    providerId: input.conversationProviderId ?? null,
    provider: input.conversationProviderId ? 'Custom Provider' : 'Switchboard Email',
    altId: null,
    source: 'api',
    rfcMessageId: rfcMessageIdFor(emailId, ctx.emailDomain),
    scheduledAt: at,
    at: await nextEmailTime(ctx.db, message.id, ctx.now),
    now: ctx.now,
  });
  await ctx.tx.emails.insert(email);
  return { message, email };
}

export async function sendMessage(ctx: SendContext, input: SendInput): Promise<SendResult> {
  const contact = await requireContact(ctx.db, ctx.locationId, input.contactId);
  const type = SEND_TYPES[input.type];
  const at = scheduledAt(input, ctx.now);
  const isComment = input.type === 'InternalComment';
  // A comment is never delivered, so nothing would ever send it at its time.
  if (isComment && at) throw new DomainError('VALIDATION_FAILED', ['an InternalComment cannot be scheduled']);
  const conversation = await conversationForContact(ctx.db, contact, ctx.now);

  let message: MessageRow;
  let email: EmailRow | null = null;
  if (input.type === 'Email') {
    ({ message, email } = await sendEmail(ctx, input, contact, conversation, at));
  } else {
    if (!hasContent(input, input.message)) throw noContent();
    const meta: Record<string, unknown> = {};
    if (PHONE_CODES.includes(type)) {
      meta.to = destinationPhone(input, contact);
      if (input.fromNumber) meta.from = normalisePhone(input.fromNumber);
    }
    message = await ctx.tx.messages.insert(
      messageRow({
        locationId: ctx.locationId,
        conversationId: conversation.id,
        contactId: contact.id,
        type,
        direction: 'outbound',
        status: isComment ? 'delivered' : at ? 'scheduled' : 'pending',
        body: input.message ?? '',
        attachments: input.attachments,
        meta,
        source: 'api',
        userId: input.userId ?? null,
        providerId: input.conversationProviderId ?? null,
        scheduledAt: at,
        at: ctx.now,
        now: ctx.now,
      }),
    );
  }

  if (isComment && input.mentions?.length)
    await addMembers(ctx.db, 'conversation_mentions', conversation, input.mentions);
  if (!at && isSummaryCode(type)) {
    const patch = summaryPatch(
      conversation,
      contact,
      {
        type,
        direction: 'outbound',
        body: message.body,
        source: 'api',
        providerId: message.conversation_provider_id,
        at: ctx.now,
      },
      ctx.now,
    );
    await ctx.tx.conversations.update(ctx.locationId, conversation.id, patch);
  } else {
    await ctx.tx.conversations.update(ctx.locationId, conversation.id, { date_updated: ctx.now });
  }
  if (!isComment) {
    await ctx.scheduleDelivery({ messageId: message.id, ...(email ? { emailId: email.id } : {}) }, at ?? ctx.now);
  }

  const result: SendResult = {
    conversationId: conversation.id,
    messageId: message.id,
    messageIds: [message.id],
    msg: at ? 'Message scheduled successfully.' : 'Message queued successfully.',
    status: isComment ? 'delivered' : 'pending',
  };
  if (email) result.emailMessageId = email.id;
  if (input.forward) result.forwardData = { ...input.forward };
  return result;
}
