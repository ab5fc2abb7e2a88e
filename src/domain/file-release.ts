// Stored files go with what carried them: a deleted message takes the files its attachments name, a deleted
// conversation the files uploaded to it and those its messages carried; but a file that a message or email left in
// the location (in any conversation) still names stays. Rows go in the deleting transaction; their bytes by a
// collection job queued in it.
import { enqueueBlobCollection } from '../jobs/collect-blob.js';
import type { Executor } from '../store/executor.js';
import {
  attachmentsOfConversation,
  deleteFiles,
  type FileRow,
  fileStillAttached,
  filesByIds,
  filesOfConversation,
} from '../store/repositories/files.js';

const FILE_URL = /\/files\/([0-9A-Za-z]{32})(?=[/?#]|$)/;

interface CarryingMessage {
  id: string;
  location_id: string;
  conversation_id: string;
  attachments: readonly string[];
}

/** The ids of this server's stored files among a message's attachment URLs. */
export function attachedFileIds(attachments: readonly string[]): string[] {
  const ids = attachments.map((url) => FILE_URL.exec(url)?.[1]);
  return [...new Set(ids.filter((id): id is string => id !== undefined))];
}

async function release(db: Executor, files: FileRow[], now: number): Promise<void> {
  await deleteFiles(
    db,
    files.map((file) => file.id),
  );
  const blobs = files.map((file) => ({ locationId: file.location_id, key: file.storage_key }));
  await enqueueBlobCollection(db, blobs, now, now);
}

/** Releases these stored files unless a message or email of the location still names one; call after the change. */
export async function releaseFiles(db: Executor, locationId: string, ids: string[], now: number): Promise<void> {
  const released: FileRow[] = [];
  for (const file of await filesByIds(db, locationId, ids)) {
    if (!(await fileStillAttached(db, locationId, file.id, {}))) released.push(file);
  }
  await release(db, released, now);
}

/** Call in the transaction that deletes the messages, before or after their rows go. */
export async function releaseMessageFiles(db: Executor, messages: CarryingMessage[], now: number): Promise<void> {
  const going = messages.map((message) => message.id);
  const released = new Map<string, FileRow>();
  for (const message of messages) {
    for (const file of await filesByIds(db, message.location_id, attachedFileIds(message.attachments))) {
      if (released.has(file.id)) continue;
      if (!(await fileStillAttached(db, file.location_id, file.id, { ids: going }))) released.set(file.id, file);
    }
  }
  await release(db, [...released.values()], now);
}

/** Call in the transaction that deletes the conversation, before its messages go. */
export async function releaseConversationFiles(
  db: Executor,
  locationId: string,
  conversationId: string,
  now: number,
): Promise<void> {
  const carried = await attachmentsOfConversation(db, conversationId);
  const ids = new Set(carried.flatMap((attachments) => attachedFileIds(attachments)));
  const candidates = new Map<string, FileRow>();
  for (const file of await filesOfConversation(db, locationId, conversationId)) candidates.set(file.id, file);
  for (const file of await filesByIds(db, locationId, [...ids])) candidates.set(file.id, file);
  const released: FileRow[] = [];
  for (const file of candidates.values()) {
    // Uploaded here or elsewhere, a file stays while a message of another conversation still names it.
    if (!(await fileStillAttached(db, locationId, file.id, { conversationId }))) released.push(file);
  }
  await release(db, released, now);
}
