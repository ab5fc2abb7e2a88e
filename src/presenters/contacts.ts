// Contact rows → the contacts API's wire shape (GetContectByIdSchema).
import type { ContactRow } from '../store/repositories/contacts.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** Custom fields are written as `{id, key?, field_value}` and read back as `{id, value}`. */
function presentCustomFields(stored: unknown): { id: unknown; value: unknown }[] {
  if (!Array.isArray(stored)) return [];
  return stored.map((field: { id?: unknown; field_value?: unknown; value?: unknown }) => ({
    id: field.id,
    value: field.field_value ?? field.value,
  }));
}

export function presentContact(row: ContactRow) {
  const attributes = row.attributes;
  const contact: Record<string, unknown> = {
    id: row.id,
    locationId: row.location_id,
    ...attributes,
    dnd: row.dnd,
    tags: row.tags,
    dateAdded: iso(row.date_added),
    dateUpdated: iso(row.date_updated),
    customFields: presentCustomFields(attributes.customFields),
  };
  const optional: Record<string, string | null> = {
    name: row.full_name,
    firstName: row.first_name,
    lastName: row.last_name,
    firstNameLowerCase: row.first_name?.toLowerCase() ?? null,
    lastNameLowerCase: row.last_name?.toLowerCase() ?? null,
    fullNameLowerCase: row.full_name?.toLowerCase() ?? null,
    email: row.email,
    emailLowerCase: row.email_lower,
    phone: row.phone,
    companyName: row.company_name,
    assignedTo: row.assigned_to,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== null) contact[key] = value;
  return contact;
}

/** A contact of the newer search, with the searchAfter that pages on after it. */
export function presentSearchedContact(row: ContactRow, sortKey: string | number) {
  return { ...presentContact(row), searchAfter: [typeof sortKey === 'string' ? sortKey : Number(sortKey), row.id] };
}
