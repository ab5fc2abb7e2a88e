// Live chat visitors: a session per browser (a contact and its conversation, found or created), messages in as
// inbound Live_Chat through the message use case (so events and webhooks fire as for any inbound message),
// typing, and feedback. A visitor is anyone on the Internet: the session sees only live chat messages of its
// contact from its own start on, never the contact's other history.
import { randomBytes } from 'node:crypto';
import type { LiveChatConfig } from '../../config.js';
import type { RealtimeHub } from '../../realtime/hub.js';
import type { Store } from '../../store/database.js';
import { type ContactRow, findContactByEmail, findContactByPhone } from '../../store/repositories/contacts.js';
import { currentEventSeq } from '../../store/repositories/events.js';
import {
  deleteExpiredSessions,
  findSessionByTokenHash,
  insertSession,
  type SessionRow,
  updateSessionConversation,
  type WidgetRow,
} from '../../store/repositories/live-chat.js';
import { conversationMessages, findMessage, type MessageRow } from '../../store/repositories/messages.js';
import type { Clock } from '../clock.js';
import { normaliseEmail, normalisePhone } from '../contact-fields.js';
import type { ContactService } from '../contacts.js';
import type { ConversationService } from '../conversations.js';
import { DomainError } from '../errors.js';
import { hashToken, newId } from '../ids.js';
import { SEND_TYPES } from '../message-types.js';
import { conversationForContact } from '../messages/conversation-access.js';
import type { MessageService } from '../messages/service.js';
import type { WidgetService } from './widgets.js';

export interface VisitorIdentity {
  name?: string;
  email?: string;
  phone?: string;
}

export interface Visitor {
  session: SessionRow;
  widget: WidgetRow;
}

export interface VisitorServiceDeps {
  store: Store;
  clock: Clock;
  config: LiveChatConfig;
  widgets: WidgetService;
  contacts: ContactService;
  conversations: ConversationService;
  messages: MessageService;
  realtime: RealtimeHub;
}

const LIVE_CHAT = SEND_TYPES.Live_Chat;
const HISTORY_LIMIT = 100;
const SWEEP_EVERY_MS = 3600_000;

export const isVisitorToken = (token: string) => token.startsWith('lcv-');

export class VisitorService {
  private lastSweep = 0;

  constructor(private readonly deps: VisitorServiceDeps) {}

  async start(widgetId: string, identity: VisitorIdentity): Promise<Visitor & { token: string }> {
    const { store, clock, widgets, config } = this.deps;
    const widget = await widgets.find(widgetId);
    const contact = await this.contactFor(widget.location_id, identity);
    const now = clock.now();
    const conversation = await store.unit(({ db: trx }) => conversationForContact(trx, contact, now));
    const token = `lcv-${randomBytes(24).toString('base64url')}`;
    const session: SessionRow = {
      id: newId(),
      token_hash: hashToken(token),
      widget_id: widget.id,
      location_id: widget.location_id,
      contact_id: contact.id,
      conversation_id: conversation.id,
      start_seq: (await currentEventSeq(store.db, widget.location_id)) ?? 0,
      date_added: now,
      expires_at: now + config.sessionTtlMs,
    };
    await store.unit(({ db }) => insertSession(db, session));
    await this.sweep(now);
    return { session, widget, token };
  }

  /** The visitor a session token names; an unknown or expired token is a 401. */
  async authenticate(token: string | null): Promise<Visitor> {
    const { store, clock, widgets } = this.deps;
    const session = token && isVisitorToken(token) ? await findSessionByTokenHash(store.db, hashToken(token)) : null;
    if (!session || session.expires_at <= clock.now()) {
      throw new DomainError('VISITOR_SESSION_INVALID', 'Invalid or expired visitor session');
    }
    return { session, widget: await widgets.find(session.widget_id) };
  }

  /** The session's live chat messages so far, oldest first (the stream replays them too, with their updates). */
  async history({ session }: Visitor): Promise<MessageRow[]> {
    const { rows } = await conversationMessages(this.deps.store.db, session.conversation_id, {
      types: [LIVE_CHAT],
      limit: HISTORY_LIMIT,
    });
    return rows
      .filter((row) => row.date_added >= session.date_added && row.contact_id === session.contact_id)
      .reverse();
  }

  async send({ session, widget }: Visitor, text: string): Promise<MessageRow> {
    const { store, messages, config } = this.deps;
    const message = text.trim();
    if (message === '') throw new DomainError('VALIDATION_FAILED', ['message should not be empty']);
    if (message.length > config.maxMessageLength) {
      throw new DomainError('VALIDATION_FAILED', [
        `message must be shorter than or equal to ${config.maxMessageLength} characters`,
      ]);
    }
    // By contact, not conversation: if an agent deleted the conversation, the visitor's next message opens a new one.
    const result = await messages.inbound(session.location_id, {
      type: 'Live_Chat',
      contactId: session.contact_id,
      message,
      chatWidgetId: widget.id,
    });
    if (result.conversationId !== session.conversation_id) {
      await store.unit(({ db }) => updateSessionConversation(db, session.id, result.conversationId));
      session.conversation_id = result.conversationId;
    }
    const row = await findMessage(store.db, session.location_id, result.messageId);
    if (!row) throw new DomainError('INTERNAL', 'the visitor message was not stored');
    return row;
  }

  typing({ session }: Visitor, isTyping: boolean): void {
    this.deps.realtime.publishTyping({
      locationId: session.location_id,
      conversationId: session.conversation_id,
      contactId: session.contact_id,
      actor: 'visitor',
      visitorId: session.id,
      isTyping,
    });
  }

  async feedback({ session }: Visitor, feedback: 'positive' | 'negative'): Promise<void> {
    await this.deps.conversations.update(session.location_id, session.conversation_id, { feedback });
  }

  /**
   * The contact a visitor is: an existing one with the email (then the phone) given, left as it is — a visitor
   * cannot rename a contact — or a new one.
   */
  private async contactFor(locationId: string, identity: VisitorIdentity): Promise<ContactRow> {
    const { store, contacts } = this.deps;
    const email = identity.email?.trim() ? normaliseEmail(identity.email) : undefined;
    const phone = identity.phone?.trim() ? normalisePhone(identity.phone) : undefined;
    const existing =
      (email && (await findContactByEmail(store.db, locationId, email.toLowerCase()))) ||
      (phone && (await findContactByPhone(store.db, locationId, phone))) ||
      undefined;
    if (existing) return existing;
    const name = identity.name?.trim() || `Visitor ${newId().slice(0, 6)}`;
    return contacts.create(locationId, { name, email, phone, source: 'Live chat' });
  }

  /** Expired sessions are deleted now and then, by whichever server opens a session. */
  private async sweep(now: number): Promise<void> {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    await this.deps.store.unit(({ db }) => deleteExpiredSessions(db, now)).catch(() => undefined);
  }
}
