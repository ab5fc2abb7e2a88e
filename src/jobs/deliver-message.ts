// Job kind "message.deliver": hands an outbound message (or one email of a thread) to its delivery adapter
// when it is due, moving its status pending → sent → delivered | failed. Re-running a finished job does nothing.

import type { DeliveryRouter } from '../delivery/index.js';
import type { OutboundDelivery } from '../delivery/port.js';
import type { Clock } from '../domain/clock.js';
import { messageTypeName } from '../domain/message-types.js';
import { recordEmailDelivery } from '../domain/messages/email-delivery.js';
import { awaitsDelivery, transition } from '../domain/messages/lifecycle.js';
import { summaryPatch, textOf } from '../domain/messages/summary.js';
import type { MessageDeliveryOutcome } from '../metrics/registry.js';
import type { Store } from '../store/database.js';
import type { Executor } from '../store/executor.js';
import { findContact } from '../store/repositories/contacts.js';
import { lockConversation } from '../store/repositories/conversations.js';
import { type EmailRow, emailsOfMessage, findEmailById } from '../store/repositories/emails.js';
import { findMessageById, lockMessage, type MessageError, type MessageRow } from '../store/repositories/messages.js';
import type { Tx } from '../store/unit-of-work.js';
import { exponentialBackoff, type JobKind } from './runner.js';

export interface DeliverMessagePayload {
  messageId: string;
  emailId?: string;
}

/**
 * Records a delivery's outcome through the lifecycle, which lands it only on a message (or email) still `pending`:
 * a custom provider may report it delivered before its delivery URL has even answered, and that report stands.
 */
async function setStatus(
  tx: Tx,
  message: MessageRow,
  email: EmailRow | undefined,
  outcome: 'sent' | 'delivered' | 'failed',
  now: number,
  error?: MessageError,
) {
  const locked = await lockMessage(tx.db, message.location_id, message.id);
  const current = email ? await findEmailById(tx.db, email.id) : locked;
  if (!current) return;
  const status = transition(current.status, { kind: 'delivery', outcome });
  if (status === null || status === 'removed') return;
  // Each write records its own message.updated; the event log folds the message's into its email's.
  await tx.messages.update(message, {
    status,
    date_updated: now,
    ...(error !== undefined ? { error } : {}),
  });
  if (email) await tx.emails.update(email, { status, date_updated: now });
}

/**
 * A scheduled message (or email of a thread) that comes due is sent now: from this moment it is the
 * conversation's latest. Re-read inside the transaction, so a message cancelled meanwhile is not sent;
 * answers the rows as they now stand, or null when there is nothing left to send.
 */
async function markSending(tx: Tx, payload: DeliverMessagePayload, now: number) {
  const db = tx.db;
  const unlocked = await findMessageById(db, payload.messageId);
  if (!unlocked) return null;
  // Rows are locked in the order every writer takes: conversation, message, email (then the event log).
  const conversation = await lockConversation(db, unlocked.location_id, unlocked.conversation_id);
  const message = await lockMessage(db, unlocked.location_id, unlocked.id);
  const email = payload.emailId ? await findEmailById(db, payload.emailId) : undefined;
  if (!message || (payload.emailId && !email)) return null;
  // Come due: a message cancelled or sent meanwhile is left as it is.
  const status = transition((email ?? message).status, { kind: 'due' });
  if (status === null || status === 'removed') return null;
  // A reply scheduled into an existing thread moves the thread's text, not its creation date.
  const opensThread = message.status === 'scheduled';
  const body = email ? textOf(email.body) : message.body;
  await tx.messages.update(message, {
    status,
    body,
    date_updated: now,
    ...(opensThread ? { date_added: now, scheduled_at: null } : {}),
  });
  if (email) await tx.emails.update(email, { status, date_added: now, date_updated: now, scheduled_at: null });
  const contact = conversation && (await findContact(db, message.location_id, conversation.contact_id));
  if (conversation && contact) {
    const patch = summaryPatch(
      conversation,
      contact,
      {
        type: message.type,
        direction: 'outbound',
        body,
        source: message.source,
        providerId: message.conversation_provider_id,
        at: now,
      },
      now,
    );
    await tx.conversations.update(message.location_id, conversation.id, patch);
  }
  const sending = await findMessageById(db, message.id);
  return sending ? { message: sending, email: email ? await findEmailById(db, email.id) : undefined } : null;
}

async function outboundDelivery(
  db: Executor,
  message: MessageRow,
  email: EmailRow | undefined,
): Promise<OutboundDelivery> {
  const meta = message.meta;
  const delivery: OutboundDelivery = {
    locationId: message.location_id,
    messageId: message.id,
    messageType: messageTypeName(message.type),
    contactId: message.contact_id,
    conversationId: message.conversation_id,
    conversationProviderId: message.conversation_provider_id,
    userId: message.user_id,
    body: message.body,
    attachments: (email ?? message).attachments,
  };
  if (meta.to) delivery.phone = meta.to;
  if (meta.from) delivery.fromNumber = meta.from;
  if (email) {
    const thread = await emailsOfMessage(db, message.id);
    const earlier = thread.filter(
      (e) => e.date_added < email.date_added || (e.date_added === email.date_added && e.id < email.id),
    );
    const repliedTo = thread.find((e) => e.id === email.reply_to_message_id) ?? earlier.at(-1);
    delivery.emailId = email.id;
    delivery.email = {
      from: email.from_address,
      to: email.to_addresses,
      cc: email.cc,
      bcc: email.bcc,
      subject: email.subject,
      html: email.body,
      rfcMessageId: email.rfc_message_id,
      references: earlier.map((e) => e.rfc_message_id),
      threadId: email.thread_id,
      ...(repliedTo ? { inReplyTo: repliedTo.rfc_message_id } : {}),
      ...(repliedTo?.alt_id ? { replyToAltId: repliedTo.alt_id } : {}),
    };
  }
  return delivery;
}

export function deliverMessageJob(
  store: Store,
  clock: Clock,
  router: DeliveryRouter,
  /** Told what each adapter answered (metrics). */
  onDelivery: (outcome: MessageDeliveryOutcome) => void = () => {},
): JobKind<DeliverMessagePayload> {
  const load = async (payload: DeliverMessagePayload) => {
    const message = await findMessageById(store.db, payload.messageId);
    const email = payload.emailId ? await findEmailById(store.db, payload.emailId) : undefined;
    return { message, email };
  };
  return {
    kind: 'message.deliver',
    maxAttempts: 6,
    backoffMs: exponentialBackoff(1_000, 5 * 60_000),
    async run(payload) {
      let { message, email } = await load(payload);
      // Cancelled (deleted) or already delivered: nothing to do, so a re-run never sends twice.
      if (!message || (payload.emailId && !email)) return;
      if (!awaitsDelivery((email ?? message).status)) return;
      if ((email ?? message).status === 'scheduled') {
        const sending = await store.unit((tx) => markSending(tx, payload, clock.now()));
        if (!sending) return;
        ({ message, email } = sending);
      }
      const delivery = await outboundDelivery(store.db, message, email);
      const result = await router
        .adapterFor(delivery)
        .deliver(delivery)
        .catch((error: unknown) => {
          onDelivery('error');
          throw error;
        });
      onDelivery(result.status);
      await store.unit(async (tx) => {
        if (result.status === 'failed') await setStatus(tx, message, email, 'failed', clock.now(), result.error);
        else await setStatus(tx, message, email, result.status, clock.now());
        if (email) await recordEmailDelivery(tx, email, result, clock.now());
      });
    },
    async onDead(payload, _job, error) {
      const { message, email } = await load(payload);
      if (!message) return;
      const failure = { code: 'DELIVERY_FAILED', type: 'delivery', message: error };
      await store.unit((tx) => setStatus(tx, message, email, 'failed', clock.now(), failure));
    },
  };
}
