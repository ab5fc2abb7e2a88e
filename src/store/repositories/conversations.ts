// Conversations and their followers, mentions and scores.
import { contactSearchText, conversationSearchText } from '../../domain/contact-fields.js';
import type { Executor } from '../executor.js';
import type { ConversationMembersTable, ConversationsTable } from '../schema.js';
import type { ContactRow } from './contacts.js';

export type ConversationRow = Omit<ConversationsTable, 'seq'> & { seq: number };
export type NewConversationRow = Omit<ConversationsTable, 'seq'>;
type MemberTable = 'conversation_followers' | 'conversation_mentions';

export async function insertConversation(db: Executor, row: NewConversationRow): Promise<ConversationRow> {
  return db.insertInto('conversations').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findConversation(
  db: Executor,
  locationId: string,
  id: string,
): Promise<ConversationRow | undefined> {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', id)
    .where('location_id', '=', locationId)
    .executeTakeFirst();
}

export async function findConversationByContact(db: Executor, locationId: string, contactId: string) {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('location_id', '=', locationId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
}

export type ConversationPatch = Partial<Omit<ConversationsTable, 'seq' | 'id' | 'location_id' | 'contact_id'>>;

export async function updateConversation(db: Executor, locationId: string, id: string, patch: ConversationPatch) {
  await db.updateTable('conversations').set(patch).where('id', '=', id).where('location_id', '=', locationId).execute();
}

export async function deleteConversation(db: Executor, locationId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('conversations')
    .where('id', '=', id)
    .where('location_id', '=', locationId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Keeps a contact's conversation searchable by the contact's current name, email and phone, and assigned as the contact is. */
export async function syncConversationWithContact(db: Executor, contact: ContactRow, now: number): Promise<void> {
  const conversation = await findConversationByContact(db, contact.location_id, contact.id);
  if (!conversation) return;
  await updateConversation(db, contact.location_id, conversation.id, {
    search_text: conversationSearchText(contactSearchText(contact), conversation.last_message_body),
    assigned_to: contact.assigned_to,
    date_updated: now,
  });
}

export async function replaceMembers(
  db: Executor,
  table: MemberTable,
  conversation: { id: string; location_id: string },
  userIds: readonly string[],
): Promise<void> {
  await db.deleteFrom(table).where('conversation_id', '=', conversation.id).execute();
  const rows: ConversationMembersTable[] = [...new Set(userIds)].map((user_id) => ({
    location_id: conversation.location_id,
    conversation_id: conversation.id,
    user_id,
  }));
  if (rows.length > 0) await db.insertInto(table).values(rows).execute();
}

export async function membersOf(db: Executor, table: MemberTable, conversationIds: readonly string[]) {
  const byConversation = new Map<string, string[]>();
  if (conversationIds.length === 0) return byConversation;
  const rows = await db
    .selectFrom(table)
    .select(['conversation_id', 'user_id'])
    .where('conversation_id', 'in', conversationIds)
    .orderBy('conversation_id')
    .orderBy('user_id')
    .execute();
  for (const row of rows) {
    const list = byConversation.get(row.conversation_id) ?? [];
    list.push(row.user_id);
    byConversation.set(row.conversation_id, list);
  }
  return byConversation;
}

export async function replaceScores(
  db: Executor,
  conversation: { id: string; location_id: string },
  scores: Record<string, number>,
): Promise<void> {
  await db.deleteFrom('conversation_scores').where('conversation_id', '=', conversation.id).execute();
  const rows = Object.entries(scores).map(([profile_id, score]) => ({
    location_id: conversation.location_id,
    conversation_id: conversation.id,
    profile_id,
    score,
  }));
  if (rows.length > 0) await db.insertInto('conversation_scores').values(rows).execute();
}

export async function scoresOf(db: Executor, conversationId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('conversation_scores')
    .select(['profile_id', 'score'])
    .where('conversation_id', '=', conversationId)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.profile_id, r.score]));
}
