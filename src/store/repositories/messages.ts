// Messages of conversations: append, read, keyset-paged history and export.
import { type Expression, type ExpressionBuilder, expressionBuilder, type SqlBool, sql } from 'kysely';
import { cachedCount } from '../count-cache.js';
import { type Executor, engineOf } from '../executor.js';
import { locationCount, messageCountExcept } from '../location-counts.js';
import { NamedConditions } from '../named-conditions.js';
import { preparedRead } from '../prepared-reads.js';
import type { Database, MessagesTable } from '../schema.js';

export type MessageRow = Omit<MessagesTable, 'seq'> & { seq: number };
export type NewMessageRow = Omit<MessagesTable, 'seq'>;
export type MessagePatch = Partial<Omit<MessagesTable, 'seq' | 'id' | 'location_id'>>;

/** A message's place in its conversation's history: its date, then seq (arrival order) among equal dates. */
export interface HistoryPosition {
  at: number;
  seq: number;
}

/**
 * Strictly older than `position` in history order: a range on the date refined by the tiebreak, so an index on
 * (…, date_added, seq) seeks straight to it.
 */
export function olderThan(eb: ExpressionBuilder<Database, 'messages'>, position: HistoryPosition): Expression<SqlBool> {
  return eb.and([
    eb('date_added', '<=', position.at),
    eb.or([eb('date_added', '<', position.at), eb('seq', '<', position.seq)]),
  ]);
}

// SQLite's clustered table has no rowid to number new rows (migration 0017): the insert takes the next seq off the
// unique seq index. Inserts are serialised by SQLite's single writer, so two never take the same number.
const NEXT_SEQ = sql<number>`(SELECT coalesce(max(seq), 0) + 1 FROM messages)`;

export async function insertMessage(db: Executor, row: NewMessageRow): Promise<MessageRow> {
  const values = engineOf(db) === 'sqlite' ? { ...row, seq: NEXT_SEQ } : row;
  return db.insertInto('messages').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findMessage(db: Executor, locationId: string, id: string): Promise<MessageRow | undefined> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('id', '=', id)
    .where('location_id', '=', locationId)
    .executeTakeFirst();
}

/** Re-reads a message holding its row lock until the transaction ends, for read-modify-write of its JSON fields. */
export async function lockMessage(db: Executor, locationId: string, id: string): Promise<MessageRow | undefined> {
  return db
    .updateTable('messages')
    .set((eb) => ({ date_updated: eb.ref('date_updated') }))
    .where('id', '=', id)
    .where('location_id', '=', locationId)
    .returningAll()
    .executeTakeFirst();
}

const messageById = preparedRead((db, id: string) => db.selectFrom('messages').selectAll().where('id', '=', id));

export async function findMessageById(db: Executor, id: string): Promise<MessageRow | undefined> {
  return (await messageById(db, id))[0];
}

export async function findMessageByAltKey(db: Executor, locationId: string, altKey: string) {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('location_id', '=', locationId)
    .where('alt_key', '=', altKey)
    .executeTakeFirst();
}

export async function findThreadMessage(db: Executor, conversationId: string, threadId: string) {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('thread_id', '=', threadId)
    .executeTakeFirst();
}

export async function updateMessage(db: Executor, id: string, patch: MessagePatch): Promise<void> {
  await db.updateTable('messages').set(patch).where('id', '=', id).execute();
}

export async function deleteMessage(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('messages').where('id', '=', id).execute();
}

/**
 * A conversation's history newest first by (date, seq), strictly older than `before`; one extra row tells whether
 * another page exists. Scheduled messages have not happened yet: they join the history when sent, at their send
 * time, so no listed message ever changes place and a keyset page never skips or repeats one.
 */
export async function conversationMessages(
  db: Executor,
  conversationId: string,
  options: { before?: HistoryPosition; types?: number[]; limit: number },
): Promise<{ rows: MessageRow[]; more: boolean }> {
  const before = options.before;
  let query = db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('status', '!=', 'scheduled');
  if (before) query = query.where((eb) => olderThan(eb, before));
  if (options.types && options.types.length > 0) query = query.where('type', 'in', options.types);
  const rows = await query
    .orderBy('date_added', 'desc')
    .orderBy('seq', 'desc')
    .limit(options.limit + 1)
    .execute();
  return { rows: rows.slice(0, options.limit), more: rows.length > options.limit };
}

export interface ExportQuery {
  locationId: string;
  sortColumn: 'date_added' | 'date_updated';
  order: 'asc' | 'desc';
  conversationId?: string;
  contactId?: string;
  /** Only these channels; when absent, every channel but Email. */
  channel?: string;
  from?: number;
  to?: number;
  after?: { value: number; seq: number };
  limit: number;
}

type EB = ExpressionBuilder<Database, 'messages'>;

/** What each condition of an export narrows by. */
type ExportFilter = 'location' | 'channel' | 'conversation' | 'contact' | 'from' | 'to' | 'happened';

function exportFilters(eb: EB, query: ExportQuery): NamedConditions<ExportFilter> {
  const conditions = new NamedConditions<ExportFilter>().add('location', eb('location_id', '=', query.locationId));
  conditions.add('channel', query.channel ? eb('channel', '=', query.channel) : eb('channel', '!=', 'Email'));
  if (query.conversationId) conditions.add('conversation', eb('conversation_id', '=', query.conversationId));
  if (query.contactId) conditions.add('contact', eb('contact_id', '=', query.contactId));
  if (query.from !== undefined) conditions.add('from', eb(query.sortColumn, '>=', query.from));
  if (query.to !== undefined) conditions.add('to', eb(query.sortColumn, '<=', query.to));
  // Scheduled messages have not happened yet: they appear once sent.
  conditions.add('happened', eb('status', '!=', 'scheduled'));
  return conditions;
}

/**
 * One page of an export in (sort column, seq) order, strictly after `after`, plus the full match count. The keyset
 * bound is written as a range on the sort column (`<=`) refined by the tiebreak, so the index seeks straight to
 * the position and a page costs the same however deep it is.
 */
export async function exportMessages(db: Executor, query: ExportQuery) {
  const column = query.sortColumn;
  const after = query.after;
  const beyond = query.order === 'desc' ? '<' : '>';
  const reaches = query.order === 'desc' ? '<=' : '>=';
  const page = db
    .selectFrom('messages')
    .selectAll()
    .where((eb) => {
      const conditions = exportFilters(eb, query).expressions;
      if (after) {
        conditions.push(eb(column, reaches, after.value));
        conditions.push(eb.or([eb(column, beyond, after.value), eb('seq', beyond, after.seq)]));
      }
      return eb.and(conditions);
    })
    .orderBy(column, query.order)
    .orderBy('seq', query.order)
    .limit(query.limit + 1)
    .execute();
  const count = db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where((eb) => eb.and(exportFilters(eb, query).expressions));
  // A whole-location total is kept as rows change. Any other is the same for every page of an export (the cursor is
  // no part of it), so it is counted once while nothing changes.
  // Chosen by the names of the conditions the export builds: the location, the channel and "not scheduled" are what
  // the kept counts count.
  const wholeLocation = exportFilters(expressionBuilder<Database, 'messages'>(), query).are(
    'location',
    'channel',
    'happened',
  );
  const compiled = count.compile();
  const total = wholeLocation
    ? query.channel
      ? locationCount(db, query.locationId, `messages:${query.channel}`)
      : messageCountExcept(db, query.locationId, 'Email')
    : cachedCount(db, `${compiled.sql}\n${JSON.stringify(compiled.parameters)}`, async () =>
        Number((await count.executeTakeFirstOrThrow()).n),
      );
  const [rows, counted] = await Promise.all([page, total]);
  return { rows: rows.slice(0, query.limit), more: rows.length > query.limit, total: counted };
}
