// Indexes holding each order the newer contact search sorts by (POST /contacts/search `sort`): date updated, first
// and last name, email, each with the id that breaks ties, as contacts_location_added (0016) holds the default order.
// Without them a sorted search read and sorted every contact of the location for each page: 1.2–1.4 s at 1.2M on
// SQLite. Each key is written exactly as the search writes its sort key (src/store/repositories/contact-search.ts),
// missing names and emails as '', text byte-ordered on PostgreSQL (COLLATE "C"), or the planner would not match them.
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const text = (expression: string) => (engine === 'postgres' ? `(${expression}) COLLATE "C"` : expression);
  const indexes: [string, string][] = [
    ['contacts_location_updated', 'location_id, date_updated, id'],
    ['contacts_location_first_name_order', `location_id, coalesce(${text('lower(first_name)')}, ''), id`],
    ['contacts_location_last_name_order', `location_id, coalesce(${text('lower(last_name)')}, ''), id`],
    ['contacts_location_email_order', `location_id, coalesce(${text('email_lower')}, ''), id`],
  ];
  for (const [name, columns] of indexes) {
    await sql.raw(`CREATE INDEX ${name} ON contacts (${columns})`).execute(db);
  }
}
