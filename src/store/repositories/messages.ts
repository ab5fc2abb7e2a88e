// Messages of conversations: append, read, keyset-paged history and export.
import { type Expression, type ExpressionBuilder, expressionBuilder, type SqlBool, sql } from 'kysely';
import { cachedCount } from '../count-cache.js';
import { type Executor, engineOf } from '../executor.js';
import { locationCount, messageCountExcept } from '../location-counts.js';
import { NamedConditions } from '../named-conditions.js';
import { preparedRead } from '../prepared-reads.js';
import { encodePatch, jsonObject, jsonValue, oneOf, stringList } from '../records/columns.js';
import type { Database, MessageDirection, MessageStatus, MessagesTable } from '../schema.js';

/** A message row as stored: JSON as text. Bulk loads and snapshots copy these as they are. */
export type StoredMessageRow = Omit<MessagesTable, 'seq'> & { seq: number };
export type NewMessageRow = Omit<MessagesTable, 'seq'>;

/** What the call-related and phone fields of a message's meta hold; other keys are kept as they were written. */
export interface MessageMeta {
  [key: string]: unknown;
  /** Phone channels: the number each side used. */
  to?: string;
  from?: string;
  /** Calls: how the call ended, and how long it lasted (seconds). */
  callStatus?: string;
  callDuration?: number | string;
  /** A reply to a review: the review it answers. */
  reviewId?: string;
}

/** Why a message failed, as its delivery or provider said: {code, type, message}; older rows hold plain text. */
export interface MessageError {
  code?: string;
  type?: string;
  message?: string;
}

/** A message as the domain and presenters read it: statuses and directions checked, JSON parsed. */
export interface MessageRecord
  extends Omit<MessagesTable, 'seq' | 'direction' | 'status' | 'attachments' | 'meta' | 'error'> {
  seq: number;
  direction: MessageDirection;
  status: MessageStatus;
  attachments: string[];
  meta: MessageMeta;
  error: MessageError | null;
}
export type NewMessage = Omit<MessageRecord, 'seq'>;
export type MessagePatch = Partial<Omit<MessageRecord, 'seq' | 'id' | 'location_id'>>;
/** @deprecated the name before records: a message as read. */
export type MessageRow = MessageRecord;

const MESSAGE_STATUSES: Record<MessageStatus, true> = {
  scheduled: true,
  pending: true,
  queued: true,
  sent: true,
  delivered: true,
  read: true,
  opened: true,
  clicked: true,
  connected: true,
  failed: true,
  undelivered: true,
  opt_out: true,
};
const DIRECTIONS: Record<MessageDirection, true> = { inbound: true, outbound: true };
export const messageStatus = oneOf(MESSAGE_STATUSES, 'messages', 'status');
export const messageDirection = oneOf(DIRECTIONS, 'messages', 'direction');

function decodeMeta(text: string): MessageMeta {
  const meta: MessageMeta = jsonObject(text);
  for (const key of ['to', 'from', 'callStatus', 'reviewId'] as const) {
    if (meta[key] !== undefined && typeof meta[key] !== 'string') delete meta[key];
  }
  const duration = meta.callDuration;
  if (duration !== undefined && typeof duration !== 'number' && typeof duration !== 'string') delete meta.callDuration;
  return meta;
}

function decodeError(text: string | null): MessageError | null {
  if (text === null) return null;
  const error = jsonValue(text, (plain) => ({ message: plain }));
  if (error === null) return null;
  if (typeof error !== 'object' || Array.isArray(error)) return { message: text };
  return error as MessageError;
}

export function decodeMessage(row: StoredMessageRow): MessageRecord {
  return {
    ...row,
    direction: messageDirection(row.direction),
    status: messageStatus(row.status),
    attachments: stringList(row.attachments),
    meta: decodeMeta(row.meta),
    error: decodeError(row.error),
  };
}

const MESSAGE_ENCODERS = {
  attachments: (value: string[]) => JSON.stringify(value),
  meta: (value: MessageMeta) => JSON.stringify(value),
  error: (value: MessageError | null) => (value === null ? null : JSON.stringify(value)),
};

export function encodeMessage(record: MessageRecord): StoredMessageRow;
export function encodeMessage(record: NewMessage): NewMessageRow;
export function encodeMessage(record: NewMessage | MessageRecord): NewMessageRow | StoredMessageRow {
  return {
    ...record,
    attachments: MESSAGE_ENCODERS.attachments(record.attachments),
    meta: MESSAGE_ENCODERS.meta(record.meta),
    error: MESSAGE_ENCODERS.error(record.error),
  };
}

const decodeAll = (rows: StoredMessageRow[]) => rows.map(decodeMessage);
const decodeFirst = (row: StoredMessageRow | undefined) => (row ? decodeMessage(row) : undefined);

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

export async function insertMessage(db: Executor, message: NewMessage): Promise<MessageRecord> {
  const row = encodeMessage(message);
  const values = engineOf(db) === 'sqlite' ? { ...row, seq: NEXT_SEQ } : row;
  return decodeMessage(await db.insertInto('messages').values(values).returningAll().executeTakeFirstOrThrow());
}

const messageInLocation = preparedRead((db, locationId: string, id: string) =>
  db.selectFrom('messages').selectAll().where('id', '=', id).where('location_id', '=', locationId),
);

export async function findMessage(db: Executor, locationId: string, id: string): Promise<MessageRecord | undefined> {
  return decodeFirst((await messageInLocation(db, locationId, id))[0]);
}

/** Re-reads a message holding its row lock until the transaction ends, for read-modify-write of its JSON fields. */
export async function lockMessage(db: Executor, locationId: string, id: string): Promise<MessageRecord | undefined> {
  return decodeFirst(
    await db
      .updateTable('messages')
      .set((eb) => ({ date_updated: eb.ref('date_updated') }))
      .where('id', '=', id)
      .where('location_id', '=', locationId)
      .returningAll()
      .executeTakeFirst(),
  );
}

const messageById = preparedRead((db, id: string) => db.selectFrom('messages').selectAll().where('id', '=', id));

export async function findMessageById(db: Executor, id: string): Promise<MessageRecord | undefined> {
  return decodeFirst((await messageById(db, id))[0]);
}

export async function findMessageByAltKey(db: Executor, locationId: string, altKey: string) {
  return decodeFirst(
    await db
      .selectFrom('messages')
      .selectAll()
      .where('location_id', '=', locationId)
      .where('alt_key', '=', altKey)
      .executeTakeFirst(),
  );
}

export async function findThreadMessage(db: Executor, conversationId: string, threadId: string) {
  return decodeFirst(
    await db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('thread_id', '=', threadId)
      .executeTakeFirst(),
  );
}

export async function updateMessage(db: Executor, id: string, patch: MessagePatch): Promise<void> {
  const row = encodePatch<MessageRecord, NewMessageRow>(patch, MESSAGE_ENCODERS);
  await db.updateTable('messages').set(row).where('id', '=', id).execute();
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
): Promise<{ rows: MessageRecord[]; more: boolean }> {
  const { before, types, limit } = options;
  let rows: StoredMessageRow[];
  if (types && types.length > 0) {
    let query = history(db, conversationId).where('type', 'in', types);
    if (before) query = query.where((eb) => olderThan(eb, before));
    rows = await newestFirst(query, limit + 1).execute();
  } else if (before) {
    rows = await historyPageBefore(db, conversationId, before.at, before.seq, limit + 1);
  } else {
    rows = await historyPage(db, conversationId, limit + 1);
  }
  return { rows: decodeAll(rows.slice(0, limit)), more: rows.length > limit };
}

/** A conversation's messages still waiting for their scheduled time (no page of the history lists them yet). */
export async function scheduledMessages(db: Executor, conversationId: string): Promise<MessageRow[]> {
  const rows = await db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('status', '=', 'scheduled')
    .orderBy('scheduled_at', 'asc')
    .orderBy('seq', 'asc')
    .execute();
  return decodeAll(rows);
}

function history(db: Executor, conversationId: string) {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('status', '!=', 'scheduled');
}

function newestFirst<Q extends ReturnType<typeof history>>(query: Q, limit: number) {
  return query.orderBy('date_added', 'desc').orderBy('seq', 'desc').limit(limit);
}

// The history's pages without a type filter (every request of the inbox), built once: building and compiling the
// query cost more than SQLite's answer (CPU profile of GET …/messages: ~5% in Kysely's builder and compiler).
const historyPage = preparedRead((db, conversationId: string, limit: number) =>
  newestFirst(history(db, conversationId), limit),
);

const historyPageBefore = preparedRead((db, conversationId: string, at: number, seq: number, limit: number) =>
  newestFirst(
    history(db, conversationId).where((eb) => olderThan(eb, { at, seq })),
    limit,
  ),
);

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
  return { rows: decodeAll(rows.slice(0, query.limit)), more: rows.length > query.limit, total: counted };
}
