// Removing a location's data in bulk, for the sandbox's reset and delete: statements that each clear one table of a
// location, run by the caller inside one transaction so a crash leaves the location as it was or empty.
import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import type { Database } from '../schema.js';

/** The tables whose rows name their location in a location_id column. */
type LocationTable = {
  [T in keyof Database]: Database[T] extends { location_id: string } ? T : never;
}[keyof Database];

/** How many rows each part of a location lost. */
export interface RemovedCounts {
  contacts: number;
  conversations: number;
  messages: number;
  emails: number;
  files: number;
  events: number;
  jobs: number;
  outbox: number;
  webhooks: number;
  journal: number;
}

export function emptyRemovedCounts(): RemovedCounts {
  return {
    contacts: 0,
    conversations: 0,
    messages: 0,
    emails: 0,
    files: 0,
    events: 0,
    jobs: 0,
    outbox: 0,
    webhooks: 0,
    journal: 0,
  };
}

const n = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);

/** Blob keys of the location's stored files and direct uploads, to remove once the rows are gone for good. */
export async function locationBlobKeys(db: Executor, locationId: string): Promise<string[]> {
  const files = await db.selectFrom('files').select('storage_key').where('location_id', '=', locationId).execute();
  const uploads = await db.selectFrom('file_uploads').select('id').where('location_id', '=', locationId).execute();
  return [...files.map((row) => row.storage_key), ...uploads.map((row) => row.id)];
}

/**
 * Everything a location's traffic created: contacts, conversations, messages, emails, files, events, jobs, the dev
 * outbox, webhook deliveries, idempotency keys and recorded requests. Its settings (tokens, apps, providers, widgets,
 * rate limits) stay. Children go before their parents, so no cascade has to find them.
 */
export async function removeLocationData(db: Executor, locationId: string): Promise<RemovedCounts> {
  const byLocation = async (table: LocationTable) => {
    const result = await sql`DELETE FROM ${sql.table(table)} WHERE location_id = ${locationId}`.execute(db);
    return { numDeletedRows: result.numAffectedRows ?? 0n };
  };
  const removed = emptyRemovedCounts();
  removed.jobs = n(await byLocation('jobs'));
  removed.outbox = n(await byLocation('dev_outbox'));
  removed.webhooks = n(await byLocation('webhook_deliveries'));
  await byLocation('idempotency_keys');
  removed.journal = n(await byLocation('request_journal'));
  removed.events = n(await byLocation('domain_events'));
  // Through the location's messages: these tables are indexed by message, not by location.
  const messageIds = db.selectFrom('messages').select('id').where('location_id', '=', locationId);
  await db.deleteFrom('message_transcriptions').where('message_id', 'in', messageIds).execute();
  removed.emails = n(await db.deleteFrom('emails').where('message_id', 'in', messageIds).executeTakeFirst());
  removed.messages = n(await byLocation('messages'));
  await byLocation('conversation_reviews');
  await byLocation('conversation_scores');
  await byLocation('conversation_followers');
  await byLocation('conversation_mentions');
  await byLocation('live_chat_sessions');
  removed.conversations = n(await byLocation('conversations'));
  removed.contacts = n(await byLocation('contacts'));
  await byLocation('file_uploads');
  removed.files = n(await byLocation('files'));
  // The kept counts start again from nothing (the triggers left them at zero; PostgreSQL's deltas go too).
  await byLocation('location_counts');
  return removed;
}

/** The location itself, after its data: its tokens, installations, widgets, grants and settings go with it. */
export async function deleteLocationRow(db: Executor, locationId: string): Promise<boolean> {
  await db.deleteFrom('api_tokens').where('location_id', '=', locationId).execute();
  await db.deleteFrom('location_event_seqs').where('location_id', '=', locationId).execute();
  const result = await db.deleteFrom('locations').where('id', '=', locationId).executeTakeFirst();
  return n(result) > 0;
}

export async function allLocationIds(db: Executor): Promise<string[]> {
  return (await db.selectFrom('locations').select('id').execute()).map((row) => row.id);
}

/** Every app, with its providers, installations and OAuth grants (they cascade). */
export async function deleteAllApps(db: Executor): Promise<number> {
  return n(await db.deleteFrom('apps').executeTakeFirst());
}
