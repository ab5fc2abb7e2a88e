// A Kysely dialect whose driver asks a guard before it hands out a connection for a statement on the root handle.
// Statements inside a transaction run on the connection the transaction holds and never come here, so the guard
// sees exactly the uses of the root handle: the unit of work refuses them while a unit is open on the same async
// path (on SQLite they would wait for the one connection the unit holds, forever; on PostgreSQL they would run
// outside its transaction).
import type { DatabaseConnection, Dialect, Driver, Kysely, TransactionSettings } from 'kysely';

class GuardedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly guard: () => void,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  acquireConnection(): Promise<DatabaseConnection> {
    this.guard();
    return this.inner.acquireConnection();
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  async savepoint(...args: Parameters<NonNullable<Driver['savepoint']>>): Promise<void> {
    await this.inner.savepoint?.(...args);
  }

  async rollbackToSavepoint(...args: Parameters<NonNullable<Driver['rollbackToSavepoint']>>): Promise<void> {
    await this.inner.rollbackToSavepoint?.(...args);
  }

  async releaseSavepoint(...args: Parameters<NonNullable<Driver['releaseSavepoint']>>): Promise<void> {
    await this.inner.releaseSavepoint?.(...args);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

export function guardedDialect(inner: Dialect, guard: () => void): Dialect {
  return {
    createDriver: () => new GuardedDriver(inner.createDriver(), guard),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createAdapter: () => inner.createAdapter(),
    // biome-ignore lint/suspicious/noExplicitAny: Kysely types the introspector's handle as Kysely<any>
    createIntrospector: (db: Kysely<any>) => inner.createIntrospector(db),
  };
}
