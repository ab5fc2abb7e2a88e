// Seeded conversations: one per contact, assigned as its contact is, with a summary (last message, manual
// message date, outbound action, unread count, search text) that is exactly what its seeded messages would have
// left behind had they arrived through the API.

import { initialConversationType } from '../domain/conversation-types.js';
import { isSummaryCode, messageTypeName } from '../domain/message-types.js';
import { outboundAction } from '../domain/messages/summary.js';
import type { NewConversationRow } from '../store/repositories/conversations.js';
import { contactSearchText, conversationSearchText } from '../store/search-text.js';
import { type ContactFacts, contactFacts } from './contacts.js';
import { type MessageContext, primaryType, type SummaryEvent, seededMessage } from './messages.js';
import { type SeedPlan, STREAM } from './plan.js';
import { Random } from './random.js';

export interface SeededConversation {
  row: NewConversationRow;
  followers: string[];
  mentions: string[];
  /** Its messages' seconds, oldest first. */
  seconds: Float64Array;
}

export interface ConversationContext extends MessageContext {
  primary: number;
}

export function conversationContext(
  plan: SeedPlan,
  c: number,
  ids: { conversationId: string; contactId: string },
  emailDomain: string,
  contact: ContactFacts = contactFacts(plan, plan.contactOfConversation(c)),
): ConversationContext {
  return {
    plan,
    location: plan.locationOfConversation(c),
    conversationId: ids.conversationId,
    contactId: ids.contactId,
    contact,
    emailDomain,
    primary: primaryType(plan, c, contact),
  };
}

interface Summary {
  last: SummaryEvent | null;
  lastOutbound: SummaryEvent | null;
  lastManualAt: number | null;
  trailingInbound: number;
  updatedAt: number;
}

/** Walks the conversation's messages newest first until every summary field is known. */
function summarise(ctx: ConversationContext, c: number, seconds: Float64Array): Summary {
  const summary: Summary = { last: null, lastOutbound: null, lastManualAt: null, trailingInbound: 0, updatedAt: 0 };
  let trailing = true;
  for (let k = seconds.length - 1; k >= 0; k--) {
    const { row, events } = seededMessage(ctx, c, k, seconds[k] as number, ctx.primary);
    if (k === seconds.length - 1) summary.updatedAt = row.date_updated;
    for (let e = events.length - 1; e >= 0; e--) {
      const event = events[e] as SummaryEvent;
      if (trailing) {
        if (event.direction === 'inbound') summary.trailingInbound++;
        else trailing = false;
      }
      if (!isSummaryCode(event.type)) continue;
      summary.last ??= event;
      if (event.direction === 'outbound') {
        summary.lastOutbound ??= event;
        if (summary.lastManualAt === null && outboundAction(event.source) === 'manual') summary.lastManualAt = event.at;
      }
    }
    if (summary.last && !trailing && summary.lastOutbound && summary.lastManualAt !== null) break;
  }
  return summary;
}

export function seededConversation(ctx: ConversationContext, c: number): SeededConversation {
  const { plan, location, contact } = ctx;
  const random = Random.of(plan.options.seed, STREAM.conversation + 200, c);
  const seconds = plan.messageSeconds(c);
  const openedAt =
    seconds.length > 0
      ? (seededMessage(ctx, c, 0, seconds[0] as number, ctx.primary).row.date_added as number)
      : plan.conversationStartS(c) * 1000;
  const summary = seconds.length > 0 ? summarise(ctx, c, seconds) : null;
  const last = summary?.last ?? null;
  const lastAt = last?.at ?? openedAt;
  // Recent unread messages tend to stay unread; old ones were mostly read at some point.
  const recent = plan.endS * 1000 - lastAt < 60 * 24 * 3600 * 1000;
  const unread = summary && random.chance(recent ? 0.8 : 0.25) ? summary.trailingInbound : 0;
  const contactText = contactSearchText({
    full_name: [contact.firstName, contact.lastName].filter(Boolean).join(' ') || null,
    email: contact.email,
    phone: contact.phone,
    company_name: contact.companyName,
  });
  const row: NewConversationRow = {
    id: ctx.conversationId,
    location_id: location.id,
    contact_id: ctx.contactId,
    type: initialConversationType(contact),
    assigned_to: contact.assignedTo,
    unread_count: unread,
    starred: random.chance(0.03) ? 1 : 0,
    inbox: 1,
    feedback: null,
    last_message_body: last ? last.body : null,
    last_message_type: last ? messageTypeName(last.type) : null,
    last_message_direction: last ? last.direction : null,
    last_outbound_action: summary?.lastOutbound ? outboundAction(summary.lastOutbound.source) : null,
    last_message_provider_id: null,
    last_message_at: lastAt,
    last_manual_message_at: summary?.lastManualAt ?? openedAt,
    due_at: null,
    search_text: conversationSearchText(contactText, last ? last.body : null),
    date_added: openedAt,
    date_updated: Math.max(openedAt, summary?.updatedAt ?? 0),
  };
  const followers: string[] = [];
  if (random.chance(0.15)) {
    followers.push(contact.assignedTo ?? random.pick(location.users));
    if (random.chance(0.3)) followers.push(random.pick(location.users));
  }
  const mentions = random.chance(0.02) ? [random.pick(location.users)] : [];
  return { row, followers: [...new Set(followers)], mentions, seconds };
}
