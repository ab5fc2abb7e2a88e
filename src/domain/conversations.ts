// Conversation use cases: one conversation per contact per location, kept searchable and in step with its contact.
import type { Store } from '../store/database.js';
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
} from '../store/repositories/conversations.js';
import type { Tx } from '../store/unit-of-work.js';
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

/**
 * Deletes a conversation in the caller's unit of work, as every path that ends one must: its messages go with it (foreign
 * keys cascade), the files only they carried are released, and its deletion is told (conversation.deleted). Answers
 * false when it was already gone.
 */
export async function removeConversation(tx: Tx, row: ConversationRow, now: number): Promise<boolean> {
  await releaseConversationFiles(tx.db, row.location_id, row.id, now);
  if (!(await deleteConversation(tx.db, row.location_id, row.id))) return false;
  tx.emit({ type: 'conversation.deleted', locationId: row.location_id, conversation: row });
  return true;
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
    private readonly clock: Clock,
  ) {}

  async create(locationId: string, contactId: string): Promise<ConversationRow> {
    const now = this.clock.now();
    return this.store.unit(
      async ({ db }) => {
        const contact = await requireContact(db, locationId, contactId);
        const existing = await findConversationByContact(db, locationId, contactId);
        if (existing) throw conversationExists(existing.id);
        return insertConversation(db, newConversationRow(contact, now));
      },
      {
        // Two creates raced past the existence check: the unique index decided, so name the winner.
        onUniqueViolation: async (error) => {
          const winner = await findConversationByContact(this.store.db, locationId, contactId);
          throw winner ? conversationExists(winner.id) : error;
        },
      },
    );
  }

  async get(locationId: string, id: string): Promise<ConversationRow> {
    const row = await findConversation(this.store.db, locationId, id);
    if (!row) throw notFound('Conversation');
    return row;
  }

  async update(locationId: string, id: string, update: ConversationUpdate): Promise<ConversationRow> {
    return this.store.unit(async (tx) => {
      const row = await findConversation(tx.db, locationId, id);
      if (!row) throw notFound('Conversation');
      const patch: ConversationPatch = { date_updated: this.clock.now() };
      if (update.unreadCount !== undefined) patch.unread_count = update.unreadCount;
      if (update.starred !== undefined) patch.starred = update.starred;
      if (update.feedback !== undefined) patch.feedback = update.feedback;
      await tx.conversations.update(locationId, id, patch);
      return { ...row, ...patch };
    });
  }

  async adminUpdate(locationId: string, id: string, update: ConversationAdminUpdate): Promise<ConversationRow> {
    return this.store.unit(async (tx) => {
      const row = await findConversation(tx.db, locationId, id);
      if (!row) throw notFound('Conversation');
      const patch: ConversationPatch = { date_updated: this.clock.now() };
      if (update.assignedTo !== undefined) patch.assigned_to = update.assignedTo;
      if (update.dueAt !== undefined) patch.due_at = update.dueAt;
      await tx.conversations.update(locationId, id, patch);
      if (update.followers) await replaceMembers(tx.db, 'conversation_followers', row, update.followers);
      if (update.mentions) await replaceMembers(tx.db, 'conversation_mentions', row, update.mentions);
      if (update.scores) await replaceScores(tx.db, row, update.scores);
      if (update.followers)
        tx.emit({ type: 'conversation.updated', locationId, conversationId: id, changes: ['followers'] });
      return { ...row, ...patch };
    });
  }

  async delete(locationId: string, id: string): Promise<void> {
    await this.store.unit(async (tx) => {
      const row = await findConversation(tx.db, locationId, id);
      if (!row || !(await removeConversation(tx, row, this.clock.now()))) throw notFound('Conversation');
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
