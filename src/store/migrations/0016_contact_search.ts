// Indexes for contact search (GET /contacts/, POST /contacts/search): a location's contacts newest first (the default
// order and its keyset pages), and the lowered names, company and email a text query matches by prefix. Phones and
// exact emails already have theirs (0001). PostgreSQL keeps the text byte-ordered (COLLATE "C") so a prefix is a
// range whatever the database's collation; SQLite's default BINARY collation already is.
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../database.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const text = (expression: string) => (engine === 'postgres' ? `(${expression}) COLLATE "C"` : expression);
  const indexes: [string, string][] = [
    ['contacts_location_added', 'location_id, date_added, id'],
    ['contacts_location_full_name', `location_id, ${text('lower(full_name)')}`],
    ['contacts_location_last_name', `location_id, ${text('lower(last_name)')}`],
    ['contacts_location_company', `location_id, ${text('lower(company_name)')}`],
  ];
  // 0001's email index already orders bytes on SQLite; PostgreSQL needs its byte-ordered twin for prefixes.
  if (engine === 'postgres') indexes.push(['contacts_location_email_prefix', `location_id, ${text('email_lower')}`]);
  for (const [name, columns] of indexes) {
    await sql.raw(`CREATE INDEX ${name} ON contacts (${columns})`).execute(db);
  }
}
