// Kysely's SQLite dialect, telling the truth about DDL: SQLite runs CREATE, ALTER and DROP inside transactions, but
// Kysely's adapter says it does not, so its migrator ran each migration's statements bare. A process killed between a
// migration's DDL and its record then left a database no later start could migrate ("table already exists").
// With this adapter the migrator runs the pending migrations in one transaction: all of them land, or none.
import { type DialectAdapter, SqliteAdapter, SqliteDialect } from 'kysely';

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class TransactionalDdlSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
