// Collecting blobs no file uses: a blob's file is found by its storage key, and the files a deleted conversation's
// emails carried by the conversation.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('files_storage_key').on('files').column('storage_key').execute();
  await db.schema.createIndex('emails_conversation').on('emails').column('conversation_id').execute();
}
