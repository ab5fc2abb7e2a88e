// Finding (or opening) the conversation a message belongs to, inside the message's transaction.
import type { Executor } from '../../store/executor.js';
import { type ContactRow, findContact } from '../../store/repositories/contacts.js';
import {
  type ConversationRow,
  findConversationByContact,
  insertConversationIfAbsent,
  lockConversation,
  type NewConversation,
} from '../../store/repositories/conversations.js';
import { contactSearchText, conversationSearchText } from '../../store/search-text.js';
import { initialConversationType } from '../conversation-types.js';
import { DomainError, notFound } from '../errors.js';
import { newId } from '../ids.js';

export function contactNotFound(contactId: string): DomainError {
  return new DomainError('CONTACT_NOT_FOUND', `Contact not found for id:${contactId}`, {
    canonicalCode: 'CONVERSATIONS_CONTACT_NOT_FOUND',
  });
}

export async function requireContact(db: Executor, locationId: string, contactId: string): Promise<ContactRow> {
  const contact = await findContact(db, locationId, contactId);
  if (!contact) throw contactNotFound(contactId);
  return contact;
}

/** A fresh conversation for a contact: no messages yet, assigned as the contact is. */
export function newConversationRow(contact: ContactRow, now: number): NewConversation {
  return {
    id: newId(),
    location_id: contact.location_id,
    contact_id: contact.id,
    type: initialConversationType(contact),
    assigned_to: contact.assigned_to,
    unread_count: 0,
    starred: false,
    inbox: true,
    feedback: null,
    last_message_body: null,
    last_message_type: null,
    last_message_direction: null,
    last_outbound_action: null,
    last_message_provider_id: null,
    last_message_at: now,
    last_manual_message_at: now,
    due_at: null,
    search_text: conversationSearchText(contactSearchText(contact), null),
    date_added: now,
    date_updated: now,
  };
}

/** The conversation, locked for the rest of the transaction: the message's summary update starts from it. */
async function locked(db: Executor, conversation: ConversationRow): Promise<ConversationRow> {
  const row = await lockConversation(db, conversation.location_id, conversation.id);
  if (!row) throw notFound('Conversation');
  return row;
}

/** The contact's conversation, opened on first contact (one per contact per location), locked. */
export async function conversationForContact(db: Executor, contact: ContactRow, now: number): Promise<ConversationRow> {
  const existing = await findConversationByContact(db, contact.location_id, contact.id);
  return locked(db, existing ?? (await insertConversationIfAbsent(db, newConversationRow(contact, now))));
}

/** Resolves `conversationId` and/or `contactId` to one conversation (locked) and its contact. */
export async function resolveConversation(
  db: Executor,
  locationId: string,
  ids: { conversationId?: string; contactId?: string },
  now: number,
): Promise<{ conversation: ConversationRow; contact: ContactRow }> {
  if (ids.conversationId) {
    // Found and locked in one statement.
    const conversation = await lockConversation(db, locationId, ids.conversationId);
    if (!conversation) throw notFound('Conversation');
    if (ids.contactId && ids.contactId !== conversation.contact_id) {
      throw new DomainError('BAD_REQUEST', 'contactId does not match the conversation');
    }
    return { conversation, contact: await requireContact(db, locationId, conversation.contact_id) };
  }
  if (!ids.contactId) throw new DomainError('VALIDATION_FAILED', ['contactId or conversationId should not be empty']);
  const contact = await requireContact(db, locationId, ids.contactId);
  return { conversation: await conversationForContact(db, contact, now), contact };
}
