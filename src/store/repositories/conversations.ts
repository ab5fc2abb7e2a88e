// Conversations and their followers, mentions and scores.
import type { ConversationChange } from '../event-intents.js';
import type { Executor } from '../executor.js';
import { preparedRead } from '../prepared-reads.js';
import { encodePatch, flag, toFlag } from '../records/columns.js';
import type { ConversationMembersTable, ConversationsTable, MessageDirection } from '../schema.js';
import { contactSearchText, conversationSearchText } from '../search-text.js';
import type { ContactRow } from './contacts.js';
import { messageDirection } from './messages.js';

/** A conversation row as stored: flags 0/1. Bulk loads and snapshots copy these as they are. */
export type StoredConversationRow = Omit<ConversationsTable, 'seq'> & { seq: number };
export type NewConversationRow = Omit<ConversationsTable, 'seq'>;

/** A conversation as the domain and presenters read it: flags boolean, the last message's direction checked. */
export interface ConversationRecord
  extends Omit<StoredConversationRow, 'starred' | 'inbox' | 'last_message_direction'> {
  starred: boolean;
  inbox: boolean;
  last_message_direction: MessageDirection | null;
}
export type NewConversation = Omit<ConversationRecord, 'seq'>;
/** @deprecated the name before records: a conversation as read. */
export type ConversationRow = ConversationRecord;
type MemberTable = 'conversation_followers' | 'conversation_mentions';

export function decodeConversation<Row extends StoredConversationRow>(
  row: Row,
): Omit<Row, 'starred' | 'inbox' | 'last_message_direction'> & ConversationRecord {
  return {
    ...row,
    starred: flag(row.starred),
    inbox: flag(row.inbox),
    last_message_direction: row.last_message_direction === null ? null : messageDirection(row.last_message_direction),
  };
}

const CONVERSATION_ENCODERS = { starred: toFlag, inbox: toFlag };

export function encodeConversation(record: ConversationRecord): StoredConversationRow;
export function encodeConversation(record: NewConversation): NewConversationRow;
export function encodeConversation(record: NewConversation | ConversationRecord): NewConversationRow {
  return { ...record, starred: toFlag(record.starred), inbox: toFlag(record.inbox) };
}

const decodeFirst = (row: StoredConversationRow | undefined) => (row ? decodeConversation(row) : undefined);

export async function insertConversation(db: Executor, conversation: NewConversation): Promise<ConversationRecord> {
  const row = encodeConversation(conversation);
  return decodeConversation(await db.insertInto('conversations').values(row).returningAll().executeTakeFirstOrThrow());
}

/**
 * Inserts the contact's conversation unless one exists (one per contact per location), and answers the one that
 * does: a concurrent insert waits for the other to commit, so racing first messages share one conversation.
 */
export async function insertConversationIfAbsent(
  db: Executor,
  conversation: NewConversation,
): Promise<ConversationRecord> {
  const row = encodeConversation(conversation);
  const inserted = await db
    .insertInto('conversations')
    .values(row)
    .onConflict((oc) => oc.columns(['location_id', 'contact_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return decodeConversation(inserted);
  const existing = await findConversationByContact(db, row.location_id, row.contact_id);
  if (!existing) throw new Error(`conversation of contact ${row.contact_id} vanished while it was opened`);
  return existing;
}

/** The contact fields a conversation is shown with. */
export type ConversationContact = Pick<ContactRow, 'full_name' | 'company_name' | 'email' | 'phone'>;

const conversationWithContact = preparedRead((db, locationId: string, id: string) =>
  db
    .selectFrom('conversations as c')
    .leftJoin('contacts as ct', (join) =>
      join.onRef('ct.id', '=', 'c.contact_id').onRef('ct.location_id', '=', 'c.location_id'),
    )
    .selectAll('c')
    .select([
      'ct.id as contact_row_id',
      'ct.full_name as contact_full_name',
      'ct.company_name as contact_company_name',
      'ct.email as contact_email',
      'ct.phone as contact_phone',
    ])
    .where('c.id', '=', id)
    .where('c.location_id', '=', locationId),
);

/** A conversation and its contact's name and addresses, in one read. */
export async function findConversationWithContact(
  db: Executor,
  locationId: string,
  id: string,
): Promise<{ conversation: ConversationRow; contact?: ConversationContact } | undefined> {
  const [row] = await conversationWithContact(db, locationId, id);
  if (!row) return undefined;
  const { contact_row_id, contact_full_name, contact_company_name, contact_email, contact_phone, ...conversation } =
    row;
  if (contact_row_id === null) return { conversation: decodeConversation(conversation) };
  return {
    conversation: decodeConversation(conversation),
    contact: {
      full_name: contact_full_name,
      company_name: contact_company_name,
      email: contact_email,
      phone: contact_phone,
    } as ConversationContact,
  };
}

const conversationById = preparedRead((db, locationId: string, id: string) =>
  db.selectFrom('conversations').selectAll().where('id', '=', id).where('location_id', '=', locationId),
);

export async function findConversation(
  db: Executor,
  locationId: string,
  id: string,
): Promise<ConversationRow | undefined> {
  return decodeFirst((await conversationById(db, locationId, id))[0]);
}

export async function findConversationByContact(db: Executor, locationId: string, contactId: string) {
  return decodeFirst(
    await db
      .selectFrom('conversations')
      .selectAll()
      .where('location_id', '=', locationId)
      .where('contact_id', '=', contactId)
      .executeTakeFirst(),
  );
}

/**
 * Re-reads a conversation holding its row lock until the transaction ends (a no-op UPDATE: PostgreSQL waits for
 * and then sees a concurrent writer's commit; SQLite runs one writer at a time anyway). Read-modify-write of the
 * summary (unread count, last message) goes through this, so concurrent messages never lose each other's update.
 */
export async function lockConversation(
  db: Executor,
  locationId: string,
  id: string,
): Promise<ConversationRecord | undefined> {
  return decodeFirst(
    await db
      .updateTable('conversations')
      .set((eb) => ({ date_updated: eb.ref('date_updated') }))
      .where('id', '=', id)
      .where('location_id', '=', locationId)
      .returningAll()
      .executeTakeFirst(),
  );
}

export type ConversationPatch = Partial<Omit<ConversationRecord, 'seq' | 'id' | 'location_id' | 'contact_id'>>;

/** The columns a client sees change, by the name conversation.updated events give the change. */
const CHANGES: [keyof ConversationPatch, ConversationChange][] = [
  ['last_message_at', 'lastMessage'],
  ['last_message_body', 'lastMessage'],
  ['unread_count', 'unreadCount'],
  ['starred', 'starred'],
  ['assigned_to', 'assignedTo'],
  ['feedback', 'feedback'],
];

/** Which observable parts of a conversation a patch changes. */
export function conversationChanges(patch: ConversationPatch): ConversationChange[] {
  return [...new Set(CHANGES.filter(([column]) => patch[column] !== undefined).map(([, change]) => change))];
}

/** Applies `patch`; answers the row as it left it (undefined: no such conversation). */
export async function updateConversation(
  db: Executor,
  locationId: string,
  id: string,
  patch: ConversationPatch,
): Promise<ConversationRecord | undefined> {
  return decodeFirst(
    await db
      .updateTable('conversations')
      .set(encodePatch<ConversationRecord, NewConversationRow>(patch, CONVERSATION_ENCODERS))
      .where('id', '=', id)
      .where('location_id', '=', locationId)
      .returningAll()
      .executeTakeFirst(),
  );
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
  conversation: { id: string; location_id: string; seq: number },
  scores: Record<string, number>,
): Promise<void> {
  await db.deleteFrom('conversation_scores').where('conversation_id', '=', conversation.id).execute();
  const rows = Object.entries(scores).map(([profile_id, score]) => ({
    location_id: conversation.location_id,
    conversation_id: conversation.id,
    conversation_seq: conversation.seq,
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

/** Adds users to a conversation's followers or mentions, keeping the ones already there. */
export async function addMembers(
  db: Executor,
  table: MemberTable,
  conversation: { id: string; location_id: string },
  userIds: readonly string[],
): Promise<void> {
  const rows: ConversationMembersTable[] = [...new Set(userIds)].map((user_id) => ({
    location_id: conversation.location_id,
    conversation_id: conversation.id,
    user_id,
  }));
  if (rows.length === 0) return;
  await db
    .insertInto(table)
    .values(rows)
    .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doNothing())
    .execute();
}
