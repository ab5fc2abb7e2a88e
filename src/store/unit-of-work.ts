// The one way to write: `store.unit(async (tx) => …)`. A unit runs in one transaction (on SQLite, in a savepoint of
// a commit it may share with others, see transaction-batches.ts); what it emits is recorded in that transaction by
// the recorders (the event log); what must happen because of it (realtime notifications, job nudges) is registered
// with `tx.afterCommit` and runs only once the commit is durable: nothing is heard of a write a crash could still
// take back. The unit resolves at the same moment, so a caller that answers with its result answers a durable write.
//
// While a unit is open, the root handle (`store.db`) refuses to run a statement on the same async path: on SQLite
// it would wait forever for the one connection the unit holds, and on PostgreSQL run outside the unit's transaction.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely, Transaction } from 'kysely';
import type { Engine } from './database.js';
import { isTransientConflict, isUniqueViolation } from './driver-errors.js';
import type { EventIntent } from './event-intents.js';
import { type ConversationPatch, conversationChanges, updateConversation } from './repositories/conversations.js';
import { type EmailPatch, type EmailRow, insertEmail, updateEmail } from './repositories/emails.js';
import {
  insertMessage,
  type MessagePatch,
  type MessageRow,
  type NewMessage,
  updateMessage,
} from './repositories/messages.js';
import type { Database } from './schema.js';
import type { TransactionBatches } from './transaction-batches.js';
import { UnitWrites } from './unit-writes.js';

/** A conversation's writes, bound to the unit: each records the event that tells clients what changed. */
export interface ConversationWrites {
  /** Applies `patch`, and records conversation.updated when it changes something a client can see. */
  update(locationId: string, id: string, patch: ConversationPatch): Promise<void>;
}

/** A message's writes, bound to the unit: each records the event that tells clients of it. */
export interface MessageWrites {
  /** Inserts the message; records message.created. */
  insert(message: NewMessage): Promise<MessageRow>;
  /** Applies `patch`; records message.updated. (A write no client must hear of uses the plain repository.) */
  update(message: Pick<MessageRow, 'id' | 'location_id'>, patch: MessagePatch): Promise<void>;
}

/** An email's writes (one email of a thread), bound to the unit: each records an event about that email. */
export interface EmailWrites {
  /** Inserts the email; records message.created for its thread, about this email. */
  insert(row: EmailRow): Promise<void>;
  /** Applies `patch`; records message.updated for its thread, about this email. */
  update(email: Pick<EmailRow, 'id' | 'message_id' | 'location_id'>, patch: EmailPatch): Promise<void>;
}

/** What a unit's work is handed: its transaction, the repositories bound to it, and the unit's after-commit list. */
export interface Tx {
  /** The unit's transaction, for repository functions that take an executor. */
  readonly db: Transaction<Database>;
  readonly engine: Engine;
  readonly conversations: ConversationWrites;
  readonly messages: MessageWrites;
  readonly emails: EmailWrites;
  /** Records a domain event in this unit's transaction. */
  emit(intent: EventIntent): void;
  /** Runs `effect` once the unit has committed and the commit is durable; the same function is run once per unit. */
  afterCommit(effect: () => void): void;
  /** A row as this unit's write through `messages` or `conversations` returned it, while no statement since wrote its table. */
  written<T>(table: 'messages' | 'conversations', id: string): T | undefined;
}

export interface UnitOptions<T> {
  /**
   * What a unique violation means for this unit (it has rolled back by then): 'retry' runs the unit once more (two
   * writers raced past an existence check, and the second attempt sees the winner); a function answers instead of
   * the unit, or throws the domain error the violation stands for. It runs outside the unit, on the root handle.
   */
  onUniqueViolation?: 'retry' | ((error: unknown) => T | Promise<T>);
}

/** Turns a unit's emitted intents into recorded events, inside the unit's transaction (the event log). */
export type UnitRecorder = (tx: Tx, intents: EventIntent[]) => Promise<void>;

export class RootHandleInUnit extends Error {
  constructor() {
    super(
      'store.db was used while a unit of work is open on this async path: use the unit’s tx.db (its transaction). ' +
        'On SQLite the statement would wait forever for the connection the unit holds; on PostgreSQL it would run ' +
        'outside the unit.',
    );
    this.name = 'RootHandleInUnit';
  }
}

export class NestedUnit extends Error {
  constructor() {
    super('store.unit was called inside an open unit of work: pass its tx along instead of opening another');
    this.name = 'NestedUnit';
  }
}

/** The process has stopped accepting writes (a failed fsync): nothing more may commit before a restart. */
export class WritesStopped extends Error {
  constructor(readonly reason: unknown) {
    super('writes are stopped after a failed fsync of the database; restart to recover');
    this.name = 'WritesStopped';
  }
}

interface OpenUnit {
  owner: UnitOfWork;
  open: boolean;
}

const openUnits = new AsyncLocalStorage<OpenUnit>();

/** How many times a unit runs before a deadlock or serialization failure is reported (PostgreSQL). */
const GIVE_WAY_ATTEMPTS = 3;

class UnitTx implements Tx {
  readonly intents: EventIntent[] = [];
  readonly effects = new Set<() => void>();
  readonly conversations: ConversationWrites;
  readonly messages: MessageWrites;
  readonly emails: EmailWrites;

  constructor(
    readonly db: Transaction<Database>,
    readonly engine: Engine,
    private readonly writes: UnitWrites,
  ) {
    this.conversations = {
      update: async (locationId, id, patch) => {
        const row = await updateConversation(db, locationId, id, patch);
        if (row) writes.remember('conversations', id, row);
        const changes = conversationChanges(patch);
        if (changes.length > 0) this.emit({ type: 'conversation.updated', locationId, conversationId: id, changes });
      },
    };
    this.messages = {
      insert: async (row) => {
        const message = await insertMessage(db, row);
        writes.remember('messages', message.id, message);
        this.emit({ type: 'message.created', locationId: message.location_id, messageId: message.id });
        return message;
      },
      update: async (message, patch) => {
        await updateMessage(db, message.id, patch);
        this.emit({ type: 'message.updated', locationId: message.location_id, messageId: message.id });
      },
    };
    this.emails = {
      insert: async (row) => {
        await insertEmail(db, row);
        this.emit({ type: 'message.created', locationId: row.location_id, messageId: row.message_id, emailId: row.id });
      },
      update: async (email, patch) => {
        await updateEmail(db, email.id, patch);
        const { location_id: locationId, message_id: messageId, id: emailId } = email;
        this.emit({ type: 'message.updated', locationId, messageId, emailId });
      },
    };
  }

  // Arrow functions: work may take them out of the tx (`async ({ db, emit }) => …`).
  readonly emit = (intent: EventIntent): void => {
    this.intents.push(intent);
  };

  readonly afterCommit = (effect: () => void): void => {
    this.effects.add(effect);
  };

  readonly written = <T>(table: 'messages' | 'conversations', id: string): T | undefined =>
    this.writes.known<T>(table, id);
}

export class UnitOfWork {
  private readonly recorders: UnitRecorder[] = [];
  private stopped: WritesStopped | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine,
    private readonly durable: () => Promise<void>,
    /** SQLite: units that arrive together share a commit. */
    private readonly batches: TransactionBatches | null,
  ) {}

  recordWith(recorder: UnitRecorder): void {
    this.recorders.push(recorder);
  }

  /** The guard of the root handle (see guarded-dialect.ts). */
  refuseRootInUnit = (): void => {
    const unit = openUnits.getStore();
    if (unit?.open && unit.owner === this) throw new RootHandleInUnit();
  };

  /** After a failed fsync: every unit from now on fails, and so do those queued for a commit. */
  stop(reason: unknown): void {
    this.stopped ??= new WritesStopped(reason);
  }

  get writesStopped(): WritesStopped | null {
    return this.stopped;
  }

  async run<T>(work: (tx: Tx) => Promise<T>, options: UnitOptions<T> = {}): Promise<T> {
    const current = openUnits.getStore();
    if (current?.open && current.owner === this) throw new NestedUnit();
    let outcome: { value: T; tx: UnitTx };
    try {
      outcome = await this.attemptGivingWay(work);
    } catch (error) {
      const onUnique = options.onUniqueViolation;
      if (!onUnique || !isUniqueViolation(error)) throw error;
      if (onUnique !== 'retry') return onUnique(error);
      outcome = await this.attemptGivingWay(work);
    }
    await this.durable();
    for (const effect of outcome.tx.effects) effect();
    return outcome.value;
  }

  /**
   * Runs the unit, and again (up to GIVE_WAY_ATTEMPTS in all) when PostgreSQL chose it as a deadlock's victim or a
   * serialization failure: it rolled back whole, so running it again is safe, and the client never sees a 500 for
   * a conflict between two valid writes.
   */
  private async attemptGivingWay<T>(work: (tx: Tx) => Promise<T>): Promise<{ value: T; tx: UnitTx }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(work);
      } catch (error) {
        if (attempt >= GIVE_WAY_ATTEMPTS || !isTransientConflict(error)) throw error;
      }
    }
  }

  private async attempt<T>(work: (tx: Tx) => Promise<T>): Promise<{ value: T; tx: UnitTx }> {
    if (this.stopped) throw this.stopped;
    let tx: UnitTx | undefined;
    const inTransaction = (trx: Transaction<Database>) => {
      const unit: OpenUnit = { owner: this, open: true };
      return openUnits.run(unit, async () => {
        try {
          const writes = new UnitWrites();
          tx = new UnitTx(trx.withPlugin(writes), this.engine, writes);
          const value = await work(tx);
          for (const record of this.recorders) await record(tx, tx.intents);
          return value;
        } finally {
          // Work it started and left running (it should not) must not find the unit still open later.
          unit.open = false;
        }
      });
    };
    const value = this.batches
      ? await this.batches.run(inTransaction)
      : await this.db.transaction().execute(inTransaction);
    return { value, tx: tx as UnitTx };
  }
}
