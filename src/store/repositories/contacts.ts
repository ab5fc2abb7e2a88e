// Contacts of a location.
import type { Executor } from '../executor.js';
import { preparedRead } from '../prepared-reads.js';
import type { ContactsTable } from '../schema.js';

export type ContactRow = ContactsTable;

export async function insertContact(db: Executor, row: ContactRow): Promise<void> {
  await db.insertInto('contacts').values(row).execute();
}

const contactById = preparedRead((db, locationId: string, id: string) =>
  db.selectFrom('contacts').selectAll().where('id', '=', id).where('location_id', '=', locationId),
);

export async function findContact(db: Executor, locationId: string, id: string): Promise<ContactRow | undefined> {
  return (await contactById(db, locationId, id))[0];
}

export async function findContactsByIds(db: Executor, ids: readonly string[]): Promise<ContactRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('contacts').selectAll().where('id', 'in', ids).execute();
}

export async function findContactByEmail(db: Executor, locationId: string, emailLower: string) {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('location_id', '=', locationId)
    .where('email_lower', '=', emailLower)
    .orderBy('date_added')
    .limit(1)
    .executeTakeFirst();
}

export async function findContactByPhone(db: Executor, locationId: string, phone: string) {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('location_id', '=', locationId)
    .where('phone', '=', phone)
    .orderBy('date_added')
    .limit(1)
    .executeTakeFirst();
}

export async function replaceContact(db: Executor, row: ContactRow): Promise<void> {
  const { id, location_id, date_added, ...fields } = row;
  await db.updateTable('contacts').set(fields).where('id', '=', id).where('location_id', '=', location_id).execute();
}

export async function deleteContact(db: Executor, locationId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('contacts')
    .where('id', '=', id)
    .where('location_id', '=', locationId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
