// Prepared statements kept for reuse. Kysely's SQLite driver prepares every query it runs; preparing costs more
// than running a point lookup, and an API serves the same few hundred statements over and over. better-sqlite3
// runs a statement to completion synchronously, and Kysely holds the one connection while it streams, so a
// statement is never asked to run while it is still running.
//
// The same wrapper sees every statement finish, so it also tells group commit (wal-sync.ts) when a write has
// committed: the first moment after a writing statement that the connection is outside a transaction.
import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from 'kysely';

const MAX_STATEMENTS = 500;

export function withStatementCache(sqlite: SqliteDatabase.Database, onCommit?: () => void): KyselySqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  let wrote = false;
  const finished = () => {
    if (wrote && !sqlite.inTransaction) {
      wrote = false;
      onCommit?.();
    }
  };
  const wrap = (sql: string): SqliteStatement => {
    const statement = sqlite.prepare(sql);
    if (!onCommit) return statement;
    // SQLite's own answer (sqlite3_stmt_readonly): true for reads and for transaction control, false for anything
    // that may write, however its text is spelled.
    const writes = !statement.readonly;
    const running = <T>(run: () => T): T => {
      if (writes) wrote = true;
      try {
        return run();
      } finally {
        finished();
      }
    };
    return {
      reader: statement.reader,
      all: (parameters) => running(() => statement.all(parameters)),
      run: (parameters) => running(() => statement.run(parameters)),
      iterate: (parameters) => statement.iterate(parameters),
    };
  };
  return {
    close: () => {
      statements.clear();
      sqlite.close();
    },
    prepare: (sql: string): SqliteStatement => {
      let statement = statements.get(sql);
      if (statement) {
        // Most recently used last: the first entry is the one to drop when full.
        statements.delete(sql);
      } else {
        statement = wrap(sql);
        if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value as string);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}
