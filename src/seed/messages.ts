// Seeded messages: a conversation mostly keeps to one channel, with calls, emails and internal comments mixed in;
// outbound messages come from users, workflows, campaigns and the API. Email messages are threads with one to
// three emails in the emails table; calls carry their status and duration in meta.

import { newId } from '../domain/ids.js';
import { altKeyOf, channelOf, emailRow, rfcMessageIdFor } from '../domain/messages/records.js';
import { escapeHtml, textOf } from '../domain/messages/summary.js';
import { encodeEmail, type StoredEmailRow } from '../store/repositories/emails.js';
import type { NewMessageRow } from '../store/repositories/messages.js';
import type { MessageStatus } from '../store/schema.js';
import type { ContactFacts } from './contacts.js';
import type { LocationPlan, SeedPlan } from './plan.js';
import { STREAM } from './plan.js';
import { hash32, Random, weights } from './random.js';
import {
  DAYS,
  EMAIL_SUBJECTS,
  EMAIL_TEXTS,
  INBOUND_TEXTS,
  INTERNAL_COMMENTS,
  OUTBOUND_TEXTS,
  TIMES,
} from './vocabulary.js';

const CALL = 1;
const SMS = 2;
const EMAIL = 3;
const WHATSAPP = 19;
const COMMENT = 37;
const LIVE_CHAT = 29;
const PRIMARY_WITH_PHONE = weights({ 2: 60, 19: 10, 11: 6, 18: 5, 29: 5, 15: 2, 3: 12 });
const PRIMARY_WITH_PHONE_ONLY = weights({ 2: 60, 19: 10, 11: 6, 18: 5, 29: 5, 15: 2 });
const PRIMARY_WITHOUT_PHONE = weights({ 3: 70, 11: 10, 18: 10, 29: 10 });
const OUTBOUND_SOURCES = weights({ app: 50, workflow: 25, campaign: 8, bulk_actions: 5, api: 12 });
const OUTBOUND_STATUSES = weights({ delivered: 82, read: 6, sent: 4, failed: 4, undelivered: 4 });
const EMAIL_STATUSES = weights({ delivered: 70, opened: 20, sent: 7, failed: 3 });
const CALL_STATUSES = weights({ completed: 60, 'no-answer': 20, busy: 5, voicemail: 15 });
const CARRIER_ERROR = JSON.stringify({ code: '30007', type: 'carrier', message: 'Message filtered by the carrier' });

/** channelOf, looked up once per type (the domain's table stays the source of truth). */
const channels = new Map<number, string>();
function channel(type: number): string {
  let name = channels.get(type);
  if (name === undefined) {
    name = channelOf(type);
    channels.set(type, name);
  }
  return name;
}

/** What a message (or one email of a thread) does to its conversation's summary, in order. */
export interface SummaryEvent {
  type: number;
  direction: 'inbound' | 'outbound';
  body: string;
  source: string | null;
  at: number;
}

export interface SeededMessage {
  row: NewMessageRow;
  emails: StoredEmailRow[];
  events: SummaryEvent[];
}

export interface MessageContext {
  plan: SeedPlan;
  location: LocationPlan;
  conversationId: string;
  contactId: string;
  contact: ContactFacts;
  emailDomain: string;
}

/** The conversation's usual channel, by what the contact can be reached on. */
export function primaryType(plan: SeedPlan, c: number, contact: ContactFacts): number {
  const random = Random.of(plan.options.seed, STREAM.conversation + 100, c);
  const table = contact.phone ? (contact.email ? PRIMARY_WITH_PHONE : PRIMARY_WITH_PHONE_ONLY) : PRIMARY_WITHOUT_PHONE;
  return random.weighted(table);
}

function fill(template: string, random: Random, ctx: MessageContext): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    switch (name) {
      case 'first':
        return ctx.contact.firstName ?? 'there';
      case 'company':
        return ctx.location.company;
      case 'day':
        return random.pick(DAYS);
      case 'time':
        return random.pick(TIMES);
      default:
        return random.int(1e8).toString(36).toUpperCase();
    }
  });
}

function messageType(random: Random, primary: number, contact: ContactFacts): number {
  const roll = random.next();
  if (roll < 0.68) return primary;
  if (roll < 0.8) return contact.phone ? CALL : primary;
  if (roll < 0.88) return contact.email ? EMAIL : contact.phone ? SMS : primary;
  if (roll < 0.96) return contact.phone ? (random.chance(0.8) ? SMS : WHATSAPP) : primary;
  return COMMENT;
}

function htmlOf(text: string): string {
  return text
    .split('\n')
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('');
}

/** The k-th message of conversation c, at `second` (its time, recomputable from the plan). */
export function seededMessage(
  ctx: MessageContext,
  c: number,
  k: number,
  second: number,
  primary: number,
): SeededMessage {
  const { plan, location, contact } = ctx;
  const random = Random.of(plan.options.seed * 16 + STREAM.message, c, k);
  const type = messageType(random, primary, contact);
  const direction = type === COMMENT ? 'outbound' : random.chance(type === CALL ? 0.5 : 0.45) ? 'inbound' : 'outbound';
  const source = type === COMMENT ? 'app' : direction === 'outbound' ? random.weighted(OUTBOUND_SOURCES) : null;
  const userId = source === 'app' ? random.pick(location.users) : null;
  const at = second * 1000 + (hash32(plan.options.seed, c, k) % 1000);
  const draft: Draft = { ctx, type, direction, source, userId, at };
  if (type === EMAIL) return emailThread(random, draft);

  let body: string;
  let status: MessageStatus = direction === 'inbound' ? 'delivered' : random.weighted(OUTBOUND_STATUSES);
  let meta = '{}';
  let subType: string | null = null;
  if (type === CALL) {
    const callStatus = random.weighted(CALL_STATUSES);
    const callDuration =
      callStatus === 'completed' ? 20 + random.int(900) : callStatus === 'voicemail' ? 10 + random.int(50) : 0;
    meta = JSON.stringify(
      contact.phone ? { callStatus, callDuration, to: contact.phone } : { callStatus, callDuration },
    );
    status = callStatus === 'completed' || callStatus === 'voicemail' ? 'delivered' : 'failed';
    subType = random.chance(0.2) ? 'EXTERNAL_CALL' : null;
    body = '';
  } else if (type === COMMENT) {
    status = 'delivered';
    body = fill(random.pick(INTERNAL_COMMENTS), random, ctx);
  } else {
    body = fill(random.pick(direction === 'inbound' ? INBOUND_TEXTS : OUTBOUND_TEXTS), random, ctx);
    if ((type === SMS || type === WHATSAPP) && contact.phone) meta = `{"to":"${contact.phone}"}`;
  }
  const attachments = type !== CALL && random.chance(0.03) ? `["https://files.example.com/${c}-${k}.jpg"]` : '[]';
  const altId =
    direction === 'inbound' && type === SMS && random.chance(0.3) ? `SM${c.toString(16)}x${k.toString(16)}` : null;
  const row = messageRow(draft, {
    id: newId(),
    status,
    body,
    contentType: 'text/plain',
    attachments,
    meta,
    subType,
    altId,
    threadId: null,
    chatWidgetId: type === LIVE_CHAT ? location.chatWidgetId : null,
    // Delivery receipts arrive a few seconds after an outbound message.
    updatedAt: direction === 'outbound' ? at + 1000 + random.int(5000) : at,
  });
  if (status === 'failed' && type !== CALL) row.error = CARRIER_ERROR;
  return { row, emails: [], events: [{ type, direction, body, source, at }] };
}

interface Draft {
  ctx: MessageContext;
  type: number;
  direction: 'inbound' | 'outbound';
  source: string | null;
  userId: string | null;
  at: number;
}

interface RowFields {
  id: string;
  status: MessageStatus;
  body: string;
  contentType: string;
  attachments: string;
  meta: string;
  subType: string | null;
  altId: string | null;
  threadId: string | null;
  chatWidgetId: string | null;
  updatedAt: number;
}

/** The message row, built directly (the seed writes millions): the same columns records.ts's messageRow fills. */
function messageRow(draft: Draft, fields: RowFields): NewMessageRow {
  return {
    id: fields.id,
    location_id: draft.ctx.location.id,
    conversation_id: draft.ctx.conversationId,
    contact_id: draft.ctx.contactId,
    type: draft.type,
    channel: channel(draft.type),
    direction: draft.direction,
    status: fields.status,
    body: fields.body,
    content_type: fields.contentType,
    attachments: fields.attachments,
    meta: fields.meta,
    source: draft.source,
    sub_type: fields.subType,
    user_id: draft.userId,
    conversation_provider_id: null,
    alt_key: altKeyOf(null, fields.altId),
    alt_id: fields.altId,
    thread_id: fields.threadId,
    chat_widget_id: fields.chatWidgetId,
    error: null,
    scheduled_at: null,
    date_added: draft.at,
    date_updated: fields.updatedAt,
  };
}

/** An email thread: one message row, one to three emails, replies alternating between the two sides. */
function emailThread(random: Random, draft: Draft): SeededMessage {
  const { ctx } = draft;
  const count = random.chance(0.7) ? 1 : random.chance(0.66) ? 2 : 3;
  const subject = fill(random.pick(EMAIL_SUBJECTS), random, ctx);
  const contactAddress = ctx.contact.email ?? `unknown@${ctx.emailDomain}`;
  const emails: StoredEmailRow[] = [];
  const events: SummaryEvent[] = [];
  let at = draft.at;
  let status: MessageStatus = 'delivered';
  let text = '';
  const messageId = newId();
  for (let j = 0; j < count; j++) {
    const direction = j % 2 === 0 ? draft.direction : draft.direction === 'inbound' ? 'outbound' : 'inbound';
    if (j > 0) at += (60 + random.int(120)) * 1000;
    status = direction === 'inbound' ? 'delivered' : random.weighted(EMAIL_STATUSES);
    const html = htmlOf(fill(random.pick(EMAIL_TEXTS), random, ctx));
    text = textOf(html);
    const id = newId();
    const ours = direction === 'inbound' ? `inbox@${ctx.emailDomain}` : `noreply@${ctx.emailDomain}`;
    emails.push(
      encodeEmail(
        emailRow({
          id,
          messageId,
          locationId: ctx.location.id,
          conversationId: ctx.conversationId,
          contactId: ctx.contactId,
          threadId: emails[0]?.id ?? id,
          direction,
          status,
          subject: j === 0 ? subject : `Re: ${subject}`,
          html,
          attachments: [],
          from: direction === 'inbound' ? contactAddress : ours,
          to: [direction === 'inbound' ? ours : contactAddress],
          cc: [],
          bcc: [],
          replyToMessageId: emails[j - 1]?.id ?? null,
          providerId: null,
          provider: 'Switchboard Email',
          altId: null,
          source: direction === 'outbound' ? (draft.source ?? 'app') : null,
          rfcMessageId: rfcMessageIdFor(id, ctx.emailDomain),
          scheduledAt: null,
          at,
          now: at,
        }),
      ),
    );
    events.push({ type: EMAIL, direction, body: text, source: direction === 'outbound' ? draft.source : null, at });
  }
  const row = messageRow(draft, {
    id: messageId,
    status,
    body: text,
    contentType: 'text/html',
    attachments: '[]',
    meta: '{}',
    subType: null,
    altId: null,
    threadId: (emails[0] as StoredEmailRow).id,
    chatWidgetId: null,
    updatedAt: at,
  });
  return { row, emails, events };
}
