// Conversation use cases: one conversation per contact per location, kept searchable and in step with its contact.

import { emitConversationPatch } from '../events/conversation-changes.js';
import { conversationSnapshot, type EventLog } from '../events/event-log.js';
import type { Store } from '../store/database.js';
import { isUniqueViolation } from '../store/driver-errors.js';
import { type ContactRow, findContactsByIds } from '../store/repositories/contacts.js';
import { type SearchPage, searchConversations } from '../store/repositories/conversation-search.js';
import {
  type ConversationContact,
  type ConversationPatch,
  type ConversationRow,
  deleteConversation,
  findConversation,
  findConversationByContact,
  findConversationWithContact,
  insertConversation,
  membersOf,
  replaceMembers,
  replaceScores,
  updateConversation,
} from '../store/repositories/conversations.js';
import type { Clock } from './clock.js';
import { buildSearch, type SearchParams } from './conversation-search.js';
import { DomainError, notFound } from './errors.js';
import { releaseConversationFiles } from './file-release.js';
import { newConversationRow, requireContact } from './messages/conversation-access.js';

export interface ConversationUpdate {
  unreadCount?: number;
  starred?: boolean;
  feedback?: 'positive' | 'negative';
}

/** Operator-only fields the public PUT does not carry (admin API): assignment, followers, mentions, scores, due date. */
export interface ConversationAdminUpdate {
  assignedTo?: string | null;
  followers?: string[];
  mentions?: string[];
  scores?: Record<string, number>;
  dueAt?: number | null;
}

export interface SearchResult extends SearchPage {
  contacts: Map<string, ContactRow>;
  followers: Map<string, string[]>;
  mentions: Map<string, string[]>;
}

function conversationExists(conversationId: string): DomainError {
  return new DomainError('CONVERSATION_EXISTS', 'Conversation already exists', { conversationId });
}

export class ConversationService {
  constructor(
    private readonly store: Store,
    private readonly events: EventLog,
    private readonly clock: Clock,
  ) {}

  async create(locationId: string, contactId: string): Promise<ConversationRow> {
    const now = this.clock.now();
    try {
      return await this.store.db.transaction().execute(async (trx) => {
        const contact = await requireContact(trx, locationId, contactId);
        const existing = await findConversationByContact(trx, locationId, contactId);
        if (existing) throw conversationExists(existing.id);
        return insertConversation(trx, newConversationRow(contact, now));
      });
    } catch (error) {
      // Two creates raced past the existence check: the unique index decided, so name the winner.
      if (!isUniqueViolation(error)) throw error;
      const winner = await findConversationByContact(this.store.db, locationId, contactId);
      throw winner ? conversationExists(winner.id) : error;
    }
  }

  async get(locationId: string, id: string): Promise<ConversationRow> {
    const row = await findConversation(this.store.db, locationId, id);
    if (!row) throw notFound('Conversation');
    return row;
  }

  async update(locationId: string, id: string, update: ConversationUpdate): Promise<ConversationRow> {
    return this.events.transaction(async (trx, emit) => {
      const row = await findConversation(trx, locationId, id);
      if (!row) throw notFound('Conversation');
      const patch: ConversationPatch = { date_updated: this.clock.now() };
      if (update.unreadCount !== undefined) patch.unread_count = update.unreadCount;
      if (update.starred !== undefined) patch.starred = update.starred ? 1 : 0;
      if (update.feedback !== undefined) patch.feedback = update.feedback;
      await updateConversation(trx, locationId, id, patch);
      emitConversationPatch(emit, locationId, id, patch);
      return { ...row, ...patch };
    });
  }

  async adminUpdate(locationId: string, id: string, update: ConversationAdminUpdate): Promise<ConversationRow> {
    return this.events.transaction(async (trx, emit) => {
      const row = await findConversation(trx, locationId, id);
      if (!row) throw notFound('Conversation');
      const patch: ConversationPatch = { date_updated: this.clock.now() };
      if (update.assignedTo !== undefined) patch.assigned_to = update.assignedTo;
      if (update.dueAt !== undefined) patch.due_at = update.dueAt;
      await updateConversation(trx, locationId, id, patch);
      if (update.followers) await replaceMembers(trx, 'conversation_followers', row, update.followers);
      if (update.mentions) await replaceMembers(trx, 'conversation_mentions', row, update.mentions);
      if (update.scores) await replaceScores(trx, row, update.scores);
      emitConversationPatch(emit, locationId, id, patch);
      if (update.followers)
        emit({ type: 'conversation.updated', locationId, conversationId: id, changes: ['followers'] });
      return { ...row, ...patch };
    });
  }

  async delete(locationId: string, id: string): Promise<void> {
    await this.events.transaction(async (trx, emit) => {
      const row = await findConversation(trx, locationId, id);
      if (!row) throw notFound('Conversation');
      await releaseConversationFiles(trx, locationId, id, this.clock.now());
      if (!(await deleteConversation(trx, locationId, id))) throw notFound('Conversation');
      emit({ type: 'conversation.deleted', locationId, conversation: conversationSnapshot(row) });
    });
  }

  /** A page of matches with what the search items show beside each: contact, followers, mentions. */
  async search(params: SearchParams): Promise<SearchResult> {
    const page = await searchConversations(this.store.db, this.store.engine, buildSearch(params, this.clock.now()));
    const ids = page.rows.map((row) => row.id);
    const [contacts, followers, mentions] = await Promise.all([
      findContactsByIds(this.store.db, [...new Set(page.rows.map((row) => row.contact_id))]),
      membersOf(this.store.db, 'conversation_followers', ids),
      membersOf(this.store.db, 'conversation_mentions', ids),
    ]);
    return { ...page, contacts: new Map(contacts.map((c) => [c.id, c])), followers, mentions };
  }

  /** A conversation with its contact, for the get-by-id view. */
  async getWithContact(
    locationId: string,
    id: string,
  ): Promise<{ conversation: ConversationRow; contact?: ConversationContact }> {
    const found = await findConversationWithContact(this.store.db, locationId, id);
    if (!found) throw notFound('Conversation');
    return found;
  }
}
