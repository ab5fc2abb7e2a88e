// Stored files, direct uploads in flight and call transcriptions.
import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import { stringList } from '../records/columns.js';
import type { FilesTable, FileUploadsTable, MessageTranscriptionsTable } from '../schema.js';

export type FileRow = FilesTable;
export type UploadRow = FileUploadsTable;
export type UploadPatch = Partial<Omit<FileUploadsTable, 'id' | 'location_id'>>;
export type TranscriptionRow = MessageTranscriptionsTable;

export async function insertFiles(db: Executor, rows: FileRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('files').values(rows).execute();
}

/** A file by its id alone: file URLs are capabilities, valid whoever holds them. */
export async function findFile(db: Executor, id: string): Promise<FileRow | undefined> {
  return db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUpload(db: Executor, row: UploadRow): Promise<void> {
  await db.insertInto('file_uploads').values(row).execute();
}

export async function findUpload(db: Executor, id: string): Promise<UploadRow | undefined> {
  return db.selectFrom('file_uploads').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Re-reads an upload holding its row lock until the transaction ends: PUTs and completes of it queue up. */
export async function lockUpload(db: Executor, id: string): Promise<UploadRow | undefined> {
  return db
    .updateTable('file_uploads')
    .set((eb) => ({ date_updated: eb.ref('date_updated') }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function updateUpload(db: Executor, id: string, patch: UploadPatch): Promise<void> {
  await db.updateTable('file_uploads').set(patch).where('id', '=', id).execute();
}

/** Uploads still open (pending or uploaded) whose URL expired before `before`, oldest first. */
export async function staleUploads(db: Executor, before: number, limit: number): Promise<UploadRow[]> {
  return db
    .selectFrom('file_uploads')
    .selectAll()
    .where('status', 'in', ['pending', 'uploaded'])
    .where('expires_at', '<', before)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
}

/** Marks an upload expired if it is still open; answers whether this call did. */
export async function expireUpload(db: Executor, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('file_uploads')
    .set({ status: 'expired', date_updated: now })
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'uploaded'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function findTranscription(
  db: Executor,
  locationId: string,
  messageId: string,
): Promise<TranscriptionRow | undefined> {
  return db
    .selectFrom('message_transcriptions')
    .selectAll()
    .where('message_id', '=', messageId)
    .where('location_id', '=', locationId)
    .executeTakeFirst();
}

export async function upsertTranscription(db: Executor, row: TranscriptionRow): Promise<void> {
  await db
    .insertInto('message_transcriptions')
    .values(row)
    .onConflict((oc) =>
      oc.column('message_id').doUpdateSet({
        sentences: row.sentences,
        source: row.source,
        date_updated: row.date_updated,
      }),
    )
    .execute();
}

/** Whether a stored file's bytes, or a direct upload still in flight, are kept under the blob key. */
export async function blobInUse(db: Executor, key: string): Promise<boolean> {
  const file = await db.selectFrom('files').select('id').where('storage_key', '=', key).executeTakeFirst();
  if (file) return true;
  const upload = await db
    .selectFrom('file_uploads')
    .select('id')
    .where('id', '=', key)
    .where('status', 'in', ['pending', 'uploaded'])
    .executeTakeFirst();
  return upload !== undefined;
}

/** The files of a location among `ids`. */
export async function filesByIds(db: Executor, locationId: string, ids: string[]): Promise<FileRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('files').selectAll().where('location_id', '=', locationId).where('id', 'in', ids).execute();
}

/** The files uploaded to a conversation. */
export async function filesOfConversation(db: Executor, locationId: string, conversationId: string) {
  return db
    .selectFrom('files')
    .selectAll()
    .where('location_id', '=', locationId)
    .where('conversation_id', '=', conversationId)
    .execute();
}

/** The predicate of the partial indexes of migration 0024_attached_files, verbatim, so the planner can use them. */
const ATTACHES_STORED_FILE = sql<boolean>`attachments like '%/files/%'`;

/**
 * Whether a message or email of the location still names the file in its attachments, leaving out those going in the
 * caller's transaction: the rows of `except.ids`, and every row of `except.conversationId`. Read on the partial
 * indexes of 0024_attached_files, so only the location's messages that attach stored files are looked at.
 */
export async function fileStillAttached(
  db: Executor,
  locationId: string,
  fileId: string,
  except: { ids?: string[]; conversationId?: string },
): Promise<boolean> {
  for (const table of ['messages', 'emails'] as const) {
    let query = db
      .selectFrom(table)
      .select('id')
      .where('location_id', '=', locationId)
      .where(ATTACHES_STORED_FILE)
      .where('attachments', 'like', `%/files/${fileId}%`);
    if (except.ids && except.ids.length > 0) query = query.where('id', 'not in', except.ids);
    if (except.conversationId) query = query.where('conversation_id', '<>', except.conversationId);
    if (await query.limit(1).executeTakeFirst()) return true;
  }
  return false;
}

export async function deleteFiles(db: Executor, ids: string[]): Promise<void> {
  if (ids.length > 0) await db.deleteFrom('files').where('id', 'in', ids).execute();
}

/** The attachment lists of a conversation's messages and emails that name stored files. */
export async function attachmentsOfConversation(db: Executor, conversationId: string): Promise<string[][]> {
  const lists: string[][] = [];
  for (const table of ['messages', 'emails'] as const) {
    const rows = await db
      .selectFrom(table)
      .select('attachments')
      .where('conversation_id', '=', conversationId)
      .where('attachments', 'like', '%/files/%')
      .execute();
    lists.push(...rows.map((row) => stringList(row.attachments)));
  }
  return lists;
}
