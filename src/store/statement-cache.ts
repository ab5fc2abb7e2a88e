// Prepared statements kept for reuse. Kysely's SQLite driver prepares every query it runs; preparing costs more
// than running a point lookup, and an API serves the same few hundred statements over and over. better-sqlite3
// runs a statement to completion synchronously, and Kysely holds the one connection while it streams, so a
// statement is never asked to run while it is still running.
import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from 'kysely';

const MAX_STATEMENTS = 500;

export function withStatementCache(sqlite: SqliteDatabase.Database): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
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
        statement = sqlite.prepare(sql);
        if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value as string);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}
