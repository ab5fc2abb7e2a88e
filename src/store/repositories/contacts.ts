// Contacts of a location.
import type { Executor } from '../executor.js';
import { preparedRead } from '../prepared-reads.js';
import { flag, jsonObject, stringList, toFlag } from '../records/columns.js';
import type { ContactsTable } from '../schema.js';

/** A contact row as stored: tags and attributes JSON text, dnd 0/1. Bulk loads copy these as they are. */
export type StoredContactRow = ContactsTable;

/** A contact as the domain and presenters read it: tags a list, every other field an object, dnd a boolean. */
export interface ContactRecord extends Omit<ContactsTable, 'tags' | 'dnd' | 'attributes'> {
  tags: string[];
  dnd: boolean;
  /** Every other accepted contact field (address, timezone, dndSettings, customFields, ...). */
  attributes: Record<string, unknown>;
}
/** @deprecated the name before records: a contact as read. */
export type ContactRow = ContactRecord;

export function decodeContact<Row extends StoredContactRow>(
  row: Row,
): Omit<Row, 'tags' | 'dnd' | 'attributes'> & ContactRecord {
  return { ...row, tags: stringList(row.tags), dnd: flag(row.dnd), attributes: jsonObject(row.attributes) };
}

export function encodeContact(record: ContactRecord): StoredContactRow {
  return {
    ...record,
    tags: JSON.stringify(record.tags),
    dnd: toFlag(record.dnd),
    attributes: JSON.stringify(record.attributes),
  };
}

const decodeFirst = (row: StoredContactRow | undefined) => (row ? decodeContact(row) : undefined);

export async function insertContact(db: Executor, contact: ContactRecord): Promise<void> {
  await db.insertInto('contacts').values(encodeContact(contact)).execute();
}

const contactById = preparedRead((db, locationId: string, id: string) =>
  db.selectFrom('contacts').selectAll().where('id', '=', id).where('location_id', '=', locationId),
);

export async function findContact(db: Executor, locationId: string, id: string): Promise<ContactRecord | undefined> {
  return decodeFirst((await contactById(db, locationId, id))[0]);
}

export async function findContactsByIds(db: Executor, ids: readonly string[]): Promise<ContactRecord[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('contacts').selectAll().where('id', 'in', ids).execute()).map(decodeContact);
}

/** The location's oldest contact whose `column` holds `value` (HighLevel's duplicate rules match the first one). */
/** The oldest contact of a location with this email or phone, built but not run (the query-plan tests read it). */
export function oldestContactQuery(db: Executor, locationId: string, column: 'email_lower' | 'phone', value: string) {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('location_id', '=', locationId)
    .where(column, '=', value)
    .orderBy('date_added')
    .limit(1);
}

async function oldestContactWhere(db: Executor, locationId: string, column: 'email_lower' | 'phone', value: string) {
  return decodeFirst(await oldestContactQuery(db, locationId, column, value).executeTakeFirst());
}

export async function findContactByEmail(db: Executor, locationId: string, emailLower: string) {
  return oldestContactWhere(db, locationId, 'email_lower', emailLower);
}

export async function findContactByPhone(db: Executor, locationId: string, phone: string) {
  return oldestContactWhere(db, locationId, 'phone', phone);
}

export async function replaceContact(db: Executor, contact: ContactRecord): Promise<void> {
  const { id, location_id, date_added, ...fields } = encodeContact(contact);
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
