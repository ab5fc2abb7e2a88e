// Driver errors turned into facts the domain understands, in one place for both engines.
interface DriverError {
  code?: unknown;
}

/** SQLite SQLITE_CONSTRAINT_UNIQUE / PRIMARYKEY, PostgreSQL SQLSTATE 23505. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/**
 * PostgreSQL SQLSTATE 40P01 (deadlock detected) and 40001 (serialization failure): the transaction was chosen to
 * give way, and running it again is the documented answer. And 23503 (foreign key violation) on PostgreSQL: a unit
 * reads a row, then writes one that refers to it, and under READ COMMITTED another unit may delete the row between
 * the two (a contact deleted while a conversation is created for it); run again, the unit reads that it is gone and
 * answers so. SQLite runs one writer at a time and has none of these races (its foreign key code is not retried).
 */
export function isTransientConflict(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  return code === '40P01' || code === '40001' || code === '23503';
}

/** SQLite SQLITE_CONSTRAINT_FOREIGNKEY, PostgreSQL SQLSTATE 23503. */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}
