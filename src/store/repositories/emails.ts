// Individual emails of an email thread (a thread is one conversation message of type TYPE_EMAIL).
import type { Executor } from '../executor.js';
import type { EmailsTable } from '../schema.js';

export type EmailRow = EmailsTable;
export type EmailPatch = Partial<Omit<EmailsTable, 'id' | 'location_id' | 'message_id'>>;

export async function insertEmail(db: Executor, row: EmailRow): Promise<void> {
  await db.insertInto('emails').values(row).execute();
}

export async function findEmail(db: Executor, locationId: string, id: string): Promise<EmailRow | undefined> {
  return db
    .selectFrom('emails')
    .selectAll()
    .where('id', '=', id)
    .where('location_id', '=', locationId)
    .executeTakeFirst();
}

export async function findEmailById(db: Executor, id: string): Promise<EmailRow | undefined> {
  return db.selectFrom('emails').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateEmail(db: Executor, id: string, patch: EmailPatch): Promise<void> {
  await db.updateTable('emails').set(patch).where('id', '=', id).execute();
}

export async function deleteEmail(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('emails').where('id', '=', id).execute();
}

/** The email ids of each thread message, oldest first (meta.email.messageIds). */
export async function emailIdsByMessage(db: Executor, messageIds: readonly string[]): Promise<Map<string, string[]>> {
  const byMessage = new Map<string, string[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await db
    .selectFrom('emails')
    .select(['id', 'message_id'])
    .where('message_id', 'in', messageIds)
    .orderBy('message_id')
    .orderBy('date_added')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const list = byMessage.get(row.message_id) ?? [];
    list.push(row.id);
    byMessage.set(row.message_id, list);
  }
  return byMessage;
}

export async function emailsOfMessage(db: Executor, messageId: string): Promise<EmailRow[]> {
  return db
    .selectFrom('emails')
    .selectAll()
    .where('message_id', '=', messageId)
    .orderBy('date_added')
    .orderBy('id')
    .execute();
}

/**
 * The email of a location that the first of `rfcMessageIds` names (In-Reply-To, then References newest first):
 * one statement for the whole list, however long the caller let it be.
 */
export async function findThreadEmail(
  db: Executor,
  locationId: string,
  rfcMessageIds: readonly string[],
): Promise<EmailRow | undefined> {
  if (rfcMessageIds.length === 0) return undefined;
  const rows = await db
    .selectFrom('emails')
    .selectAll()
    .where('location_id', '=', locationId)
    .where('rfc_message_id', 'in', rfcMessageIds)
    .execute();
  for (const id of rfcMessageIds) {
    const row = rows.find((candidate) => candidate.rfc_message_id === id);
    if (row) return row;
  }
  return undefined;
}

/** Finds an email by the RFC 5322 Message-ID it was sent or received with, for threading replies. */
export async function findEmailByRfcId(db: Executor, locationId: string, rfcMessageId: string) {
  return db
    .selectFrom('emails')
    .selectAll()
    .where('location_id', '=', locationId)
    .where('rfc_message_id', '=', rfcMessageId)
    .executeTakeFirst();
}

/**
 * The time to give a new email of a thread: `at`, moved past the thread's latest email when it would tie, so a
 * thread's order (and so its References chain) never depends on ids.
 */
export async function nextEmailTime(db: Executor, messageId: string, at: number): Promise<number> {
  const row = await db
    .selectFrom('emails')
    .select((eb) => eb.fn.max('date_added').as('latest'))
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  const latest = row?.latest === null || row?.latest === undefined ? undefined : Number(row.latest);
  return latest === undefined ? at : Math.max(at, latest + 1);
}

/** Emails of any location sent or received with one of these Message-IDs (the inbound SMTP listener's threading). */
export async function findEmailsByRfcIds(db: Executor, rfcMessageIds: readonly string[]): Promise<EmailRow[]> {
  if (rfcMessageIds.length === 0) return [];
  return db.selectFrom('emails').selectAll().where('rfc_message_id', 'in', rfcMessageIds).execute();
}
