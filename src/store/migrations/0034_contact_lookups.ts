// A contact looked up by phone or email (GET /contacts/?query=, POST /contacts/search with an eq filter) comes newest
// first. With only (location_id, phone) to probe, SQLite's planner, which keeps no statistics, preferred walking the
// whole location newest first through contacts_location_added and testing every phone: one lookup read every contact
// of the location. The phone and email indexes carry the list order after the key, so the probe itself answers in
// order and is the plan both engines take; upsert and the duplicate lookup still probe their leading columns.
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.js';

export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  for (const [name, key] of [
    ['contacts_location_phone', 'phone'],
    ['contacts_location_email', 'email_lower'],
  ] as const) {
    await sql.raw(`DROP INDEX ${name}`).execute(db);
    await sql.raw(`CREATE INDEX ${name} ON contacts (location_id, ${key}, date_added, id)`).execute(db);
  }
}
