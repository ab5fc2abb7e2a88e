// Why `switchboard serve` could not start, in one line an operator can act on: the address is taken, the database
// cannot be reached. Decided by the error's code and system call, never by its message text.
import type { Config } from './config.js';

interface SystemError {
  code?: unknown;
  syscall?: unknown;
  message?: unknown;
}

/** The database's place without its password: host, port and database name, or the SQLite file. */
function databasePlace(config: Config): string {
  const database = config.database;
  if (database.engine === 'sqlite') return `the SQLite database ${database.file}`;
  const url = new URL(database.url);
  return `PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.pathname}`;
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET']);

/** PostgreSQL's own refusals at connection time (SQLSTATE), worded for DATABASE_URL. */
const POSTGRES_REFUSALS: Record<string, string> = {
  '28P01': 'refused the password',
  '28000': 'refused the user',
  '3D000': 'has no such database',
};

export function describeStartupFailure(error: unknown, config: Config): string {
  const failure = (error ?? {}) as SystemError;
  const code = typeof failure.code === 'string' ? failure.code : '';
  const detail = typeof failure.message === 'string' ? failure.message : String(error);
  if (failure.syscall === 'listen') {
    const where = `${config.host}:${config.port}`;
    if (code === 'EADDRINUSE') return `Switchboard could not start: ${where} is already in use (set PORT or HOST).`;
    if (code === 'EACCES') return `Switchboard could not start: no permission to listen on ${where} (set PORT).`;
    if (code === 'EADDRNOTAVAIL')
      return `Switchboard could not start: ${config.host} is not an address of this machine (set HOST).`;
    return `Switchboard could not start: cannot listen on ${where}: ${detail}`;
  }
  if (config.database.engine === 'postgres') {
    if (CONNECT_CODES.has(code)) {
      return `Switchboard could not start: cannot reach ${databasePlace(config)} (${code}; check DATABASE_URL).`;
    }
    const refusal = POSTGRES_REFUSALS[code];
    if (refusal) return `Switchboard could not start: ${databasePlace(config)} ${refusal} (check DATABASE_URL).`;
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EROFS') {
    return `Switchboard could not start: cannot open ${databasePlace(config)} (${code}; check DATA_DIR or DATABASE_URL).`;
  }
  return `Switchboard could not start: ${detail}`;
}
