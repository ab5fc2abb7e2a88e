// Opens the Kysely database for the configured engine: better-sqlite3 (embedded, WAL) or pg.
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, type LogEvent, PostgresDialect } from 'kysely';
import type pgModule from 'pg';
import type { DatabaseConfig } from '../config.js';
import { onFirstUse } from '../lazy-package.js';
import { BACKSTOP_PAGES, startCheckpointer } from './checkpointer.js';
import { guardedDialect } from './guarded-dialect.js';
import { attachJournalFile, journalFileOf } from './journal-file.js';
import type { Database } from './schema.js';
import { emailSearchText } from './search-text.js';
import { TransactionalDdlSqliteDialect } from './sqlite-dialect.js';
import { withStatementCache } from './statement-cache.js';
import { TableWrites } from './table-writes.js';
import { TransactionBatches } from './transaction-batches.js';
import { type Tx, UnitOfWork, type UnitOptions, type UnitRecorder } from './unit-of-work.js';
import { type SyncFile, WalSync } from './wal-sync.js';

/** Tables whose rows decide who is authenticated: a token's, and its location's (deleting one deletes its tokens). */
const AUTH_TABLES = ['api_tokens', 'locations'];

export type Engine = DatabaseConfig['engine'];

export interface Store {
  /**
   * Runs `work` as one unit of work: one transaction, its events recorded in it, its after-commit effects run once
   * it is durable (see unit-of-work.ts). The only way domain code writes.
   */
  unit<T>(work: (tx: Tx) => Promise<T>, options?: UnitOptions<T>): Promise<T>;
  /** Adds what turns a unit's emitted intents into recorded events (the event log), run inside each unit. */
  recordWith(recorder: UnitRecorder): void;
  /** The root handle, for reads and for work outside any unit; it refuses statements while a unit is open. */
  db: Kysely<Database>;
  engine: Engine;
  /** The SQLite connection under `db` (SQLite only), for bulk loads that reuse one prepared statement per table. */
  sqlite?: SqliteDatabase.Database;
  /** Writes this process has sent to the tables that authentication caches depend on. */
  writes?: TableWrites;
  /**
   * Resolves once every write committed before the call is on disk: what a write waits for before it is
   * acknowledged. Immediate where each commit is durable by itself (PostgreSQL, SQLite FULL) or durability was
   * traded away (NORMAL, OFF).
   */
  durable(): Promise<void>;
  /** How busy the database's connections are now (metrics): the PostgreSQL pool, or SQLite's queued batch. */
  usage(): StoreUsage;
  /**
   * Opens a connection of its own, outside the pool (PostgreSQL only): for what lives as long as a session, such as
   * the job runner's advisory lock. Closed by `close()` if its opener has not closed it.
   */
  session?: () => Promise<DedicatedSession>;
  close(): Promise<void>;
}

/** One connection of its own (see Store.session). */
export interface DedicatedSession {
  query<Row>(text: string, values?: unknown[]): Promise<Row[]>;
  /** Told once when the connection ends, whoever ended it (the server, the network, or close()). */
  onEnd(listener: (error?: Error) => void): void;
  close(): Promise<void>;
}

export type StoreUsage =
  | { engine: 'postgres'; total: number; idle: number; waiting: number }
  /** Units of work waiting for the next batch commit (one connection does all writing). */
  | { engine: 'sqlite'; queuedUnits: number };

const pg = onFirstUse<typeof pgModule>('pg');

const immediately = () => Promise.resolve();

const INT8_OID = 20;
const NUMERIC_OID = 1700;

function postgresTypes() {
  // Counts and epoch-millisecond columns are int8; every value we store fits a JS number exactly.
  return {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
      // biome-ignore lint/suspicious/noExplicitAny: pg's own overloads do not accept the union
      return pg().types.getTypeParser(oid, format as any);
    },
  };
}

export interface StoreOptions {
  /** How group commit syncs the WAL (tests hold or fail it). */
  syncFile?: SyncFile;
  /**
   * Checkpoint the WAL on a worker thread (the default for a file). Off for bulk loads, which switch the journal
   * off while they load, and need to be the database's only connection to do it.
   */
  backgroundCheckpoints?: boolean;
  /** Told when a background checkpoint fails (the writer's own backstop checkpoints still run). */
  onCheckpointError?: (message: string) => void;
  /**
   * Told once when an fsync of the WAL fails. Writes have stopped by then (nothing more commits); the server stops
   * the process, as PostgreSQL does, so recovery reads what the disk really holds.
   */
  onFatal?: (error: unknown) => void;
  /** Told every statement run, transaction control included, with its SQL (diagnostics and tests). */
  onStatement?: (sql: string) => void;
}

function statementLog(options: StoreOptions) {
  const told = options.onStatement;
  return told ? { log: (event: LogEvent) => told(event.query.sql) } : {};
}

/** The unit of work over `db`, and the store's `unit` and `recordWith` bound to it. */
function unitsOf(units: UnitOfWork) {
  return {
    unit: <T>(work: (tx: Tx) => Promise<T>, options?: UnitOptions<T>) => units.run(work, options),
    recordWith: (recorder: UnitRecorder) => units.recordWith(recorder),
  };
}

export function openStore(config: DatabaseConfig, options: StoreOptions = {}): Store {
  if (config.engine === 'sqlite') {
    if (config.file !== ':memory:') fs.mkdirSync(path.dirname(config.file), { recursive: true });
    const sqlite = new SqliteDatabase(config.file);
    sqlite.pragma('journal_mode = WAL');
    const group = config.synchronous === 'GROUP' && config.file !== ':memory:';
    sqlite.pragma(`synchronous = ${config.synchronous === 'GROUP' ? 'NORMAL' : config.synchronous}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // Statement and savepoint journals (every batched unit has a savepoint) in memory rather than in temporary
    // files: measured, the message insert 192 → 151 µs and the conversation update 140 → 76 µs.
    sqlite.pragma('temp_store = memory');
    attachJournalFile(sqlite, config.file);
    // Migration 0029's triggers index each email through it.
    sqlite.function('switchboard_email_text', { deterministic: true }, (subject, body) =>
      emailSearchText(subject as string | null, String(body ?? '')),
    );
    const writes = new TableWrites(AUTH_TABLES);
    let units: UnitOfWork | undefined;
    const wal = group
      ? new WalSync(config.file, options.syncFile, (error) => {
          units?.stop(error);
          options.onFatal?.(error);
        })
      : null;
    const dialect = new TransactionalDdlSqliteDialect({
      database: withStatementCache(sqlite, wal ? () => wal.noteCommit() : undefined),
    });
    const db = new Kysely<Database>({
      dialect: guardedDialect(dialect, () => units?.refuseRootInUnit()),
      plugins: [writes],
      ...statementLog(options),
    });
    const durable = wal ? () => wal.durable() : immediately;
    const batches = new TransactionBatches(db, () => units?.writesStopped);
    units = new UnitOfWork(db, 'sqlite', durable, batches);
    const checkpointers =
      config.file !== ':memory:' && options.backgroundCheckpoints !== false
        ? [config.file, journalFileOf(config.file)].map((file) => startCheckpointer(file, options.onCheckpointError))
        : [];
    if (checkpointers.length > 0) sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    const close = async () => {
      await Promise.all(checkpointers.map((checkpointer) => checkpointer.stop()));
      await db.destroy();
    };
    const usage = (): StoreUsage => ({ engine: 'sqlite', queuedUnits: batches.queued });
    return { ...unitsOf(units), db, engine: 'sqlite', sqlite, writes, durable, usage, close };
  }
  const pool = new (pg().Pool)({
    connectionString: config.url,
    max: config.poolSize,
    types: postgresTypes(),
    ...(config.schema ? { options: `-c search_path=${config.schema},public` } : {}),
  });
  const writes = new TableWrites(AUTH_TABLES);
  let units: UnitOfWork | undefined;
  const dialect = guardedDialect(new PostgresDialect({ pool }), () => units?.refuseRootInUnit());
  const db = new Kysely<Database>({ dialect, plugins: [writes], ...statementLog(options) });
  units = new UnitOfWork(db, 'postgres', immediately, null);
  const usage = (): StoreUsage => ({
    engine: 'postgres',
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
  });
  const sessions = new Set<DedicatedSession>();
  const session = async (): Promise<DedicatedSession> => {
    const client = new (pg().Client)({
      connectionString: config.url,
      ...(config.schema ? { options: `-c search_path=${config.schema},public` } : {}),
    });
    const listeners: ((error?: Error) => void)[] = [];
    let ended = false;
    const end = (error?: Error) => {
      if (ended) return;
      ended = true;
      sessions.delete(opened);
      for (const listener of listeners) listener(error);
    };
    const opened: DedicatedSession = {
      query: async <Row>(text: string, values?: unknown[]) => (await client.query(text, values)).rows as Row[],
      onEnd: (listener) => {
        if (ended) listener();
        else listeners.push(listener);
      },
      close: async () => {
        end();
        await client.end().catch(() => undefined);
      },
    };
    client.on('error', end);
    client.on('end', () => end());
    try {
      await client.connect();
      // One opened while the store closed would outlive it.
      if (closed) throw new Error('the store is closed');
    } catch (error) {
      await opened.close();
      throw error;
    }
    sessions.add(opened);
    return opened;
  };
  let closed = false;
  const close = async () => {
    closed = true;
    await Promise.all([...sessions].map((opened) => opened.close()));
    await db.destroy();
  };
  return { ...unitsOf(units), db, engine: 'postgres', writes, durable: immediately, usage, session, close };
}
