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
 * give way, and running it again is the documented answer. SQLite runs one writer at a time and has neither.
 */
export function isTransientConflict(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  return code === '40P01' || code === '40001';
}

/** SQLite SQLITE_CONSTRAINT_FOREIGNKEY, PostgreSQL SQLSTATE 23503. */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}
