// Driver errors turned into facts the domain understands, in one place for both engines.
interface DriverError {
  code?: unknown;
}

/** SQLite SQLITE_CONSTRAINT_UNIQUE / PRIMARYKEY, PostgreSQL SQLSTATE 23505. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** SQLite SQLITE_CONSTRAINT_FOREIGNKEY, PostgreSQL SQLSTATE 23503. */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}
