// Built-in email: an RFC Message-ID names one email per location. Inbound email is recorded at most once however
// often a mail server hands it over, and the inbound SMTP listener finds the thread a reply belongs to by the
// Message-IDs it references, across locations (hence rfc_message_id first).
import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createIndex('emails_rfc_message_id')
    .on('emails')
    .columns(['rfc_message_id', 'location_id'])
    .unique()
    .execute();
  await db.schema.dropIndex('emails_rfc').execute();
}
