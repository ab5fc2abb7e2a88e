// Live chat widgets and visitor sessions.
import type { Executor } from '../executor.js';
import type { LiveChatSessionsTable, LiveChatWidgetsTable } from '../schema.js';

export type WidgetRow = LiveChatWidgetsTable;
export type SessionRow = LiveChatSessionsTable;

export async function insertWidget(db: Executor, row: WidgetRow): Promise<void> {
  await db.insertInto('live_chat_widgets').values(row).execute();
}

/** A widget by its public id, whatever its location (visitors know no location). */
export async function findWidget(db: Executor, id: string): Promise<WidgetRow | undefined> {
  return db.selectFrom('live_chat_widgets').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findLocationWidget(db: Executor, locationId: string, id: string) {
  return db
    .selectFrom('live_chat_widgets')
    .selectAll()
    .where('location_id', '=', locationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listWidgets(db: Executor, locationId: string): Promise<WidgetRow[]> {
  return db
    .selectFrom('live_chat_widgets')
    .selectAll()
    .where('location_id', '=', locationId)
    .orderBy('date_added')
    .orderBy('id')
    .execute();
}

export async function insertSession(db: Executor, row: SessionRow): Promise<void> {
  await db.insertInto('live_chat_sessions').values(row).execute();
}

export async function findSessionByTokenHash(db: Executor, tokenHash: string): Promise<SessionRow | undefined> {
  return db.selectFrom('live_chat_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** The contact's conversation was deleted and a new one opened: the session follows it. */
export async function updateSessionConversation(db: Executor, id: string, conversationId: string): Promise<void> {
  await db.updateTable('live_chat_sessions').set({ conversation_id: conversationId }).where('id', '=', id).execute();
}

export async function deleteExpiredSessions(db: Executor, now: number): Promise<number> {
  const result = await db.deleteFrom('live_chat_sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
