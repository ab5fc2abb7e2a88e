// A location row → the locations API's wire shape (GetLocationByIdSchema), with what Switchboard keeps of it.
import type { LocationRow } from '../store/repositories/locations.js';

export function presentLocation(row: LocationRow) {
  return {
    id: row.id,
    name: row.name,
    ...(row.company_id ? { companyId: row.company_id } : {}),
    dateAdded: new Date(Number(row.created_at)).toISOString(),
  };
}
