// Reading messages: one by id, a conversation's history newest first (paged by lastMessageId), and the
// location-wide export (keyset-paged by a signed cursor). Email threads come with their email ids.
import type { Store } from '../../store/database.js';
import type { Executor } from '../../store/executor.js';
import { findConversation } from '../../store/repositories/conversations.js';
import { emailIdsByMessage } from '../../store/repositories/emails.js';
import {
  conversationMessages,
  type ExportQuery,
  exportMessages,
  findMessage,
  type HistoryPosition,
  type MessageRow,
  scheduledMessages,
} from '../../store/repositories/messages.js';
import { CursorSigner, queryDigest } from '../cursor.js';
import { DomainError, notFound } from '../errors.js';
import { type ExportChannel, isEmailCode, messageTypeCode } from '../message-types.js';

export const MESSAGES_DEFAULT_LIMIT = 20;
export const EXPORT_DEFAULT_LIMIT = 100;

export interface MessagesPageParams {
  lastMessageId?: string;
  limit?: number;
  /** TYPE_* names, already checked against the operation's enum by the route. */
  types?: string[];
}

export interface ExportParams {
  limit?: number;
  cursor?: string;
  sortBy?: 'createdAt' | 'updatedAt';
  sortOrder?: 'asc' | 'desc';
  conversationId?: string;
  contactId?: string;
  channel?: ExportChannel;
  startDate?: string;
  endDate?: string;
}

/** Rows with the email ids of the email threads among them (meta.email.messageIds). */
export interface MessageList {
  rows: MessageRow[];
  emailIds: Map<string, string[]>;
}

export interface MessagesPage extends MessageList {
  more: boolean;
}

export interface ExportPage extends MessageList {
  total: number;
  nextCursor: string | null;
}

function invalid(message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', [message]);
}

// ISO 8601 date or date-time. Date.parse alone would take "1" (the year 2001), roll 30 February over into
// March, and read a date-time without a zone in the server's local time.
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Epoch milliseconds of an ISO 8601 date (UTC midnight) or date-time (UTC unless it names a zone). */
function isoInstant(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const bad = () => invalid(`${name} must be a valid ISO 8601 date string`);
  const match = ISO_DATE.exec(value.trim());
  if (!match) throw bad();
  const [year = '', month = '', day = '', hour = '00', minute = '00', second = '00', fraction = ''] = match.slice(1);
  const zone = match[8] ?? 'Z';
  if (Number(day) < 1 || Number(day) > daysIn(Number(year), Number(month))) throw bad();
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) throw bad();
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.length > 3 ? zone.slice(-2) : '00'}`;
  const millis = fraction.padEnd(3, '0').slice(0, 3);
  const at = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}${offset}`);
  if (!Number.isSafeInteger(at)) throw bad();
  return at;
}

export async function withEmailIds(db: Executor, rows: MessageRow[]): Promise<MessageList> {
  const threads = rows.filter((row) => isEmailCode(row.type)).map((row) => row.id);
  return { rows, emailIds: await emailIdsByMessage(db, threads) };
}

export class MessageReadService {
  private readonly cursors: CursorSigner;

  constructor(private readonly store: Store) {
    this.cursors = new CursorSigner(store);
  }

  /** A message of the location; another location's message is as unknown as a missing one. */
  async getMessage(locationId: string, messageId: string): Promise<MessageList & { row: MessageRow }> {
    const db = this.store.db;
    const row = await findMessage(db, locationId, messageId);
    if (!row) throw notFound('Message');
    return { row, ...(await withEmailIds(db, [row])) };
  }

  /** A conversation's messages newest first, after `lastMessageId` (the last id of the previous page). */
  async conversationMessages(
    locationId: string,
    conversationId: string,
    params: MessagesPageParams,
  ): Promise<MessagesPage> {
    const db = this.store.db;
    const conversation = await findConversation(db, locationId, conversationId);
    if (!conversation) throw notFound('Conversation');
    let before: HistoryPosition | undefined;
    if (params.lastMessageId) {
      const last = await findMessage(db, locationId, params.lastMessageId);
      // A scheduled message is in no page, so it cannot be where the previous one ended.
      if (!last || last.conversation_id !== conversation.id || last.status === 'scheduled') {
        throw new DomainError(
          'BAD_REQUEST',
          `lastMessageId ${params.lastMessageId} is not a message of this conversation`,
        );
      }
      before = { at: last.date_added, seq: last.seq };
    }
    const types = params.types?.map((name) => messageTypeCode(name)).filter((code) => code !== undefined);
    const page = await conversationMessages(db, conversation.id, {
      limit: params.limit ?? MESSAGES_DEFAULT_LIMIT,
      ...(before ? { before } : {}),
      ...(types && types.length > 0 ? { types } : {}),
    });
    return { ...(await withEmailIds(db, page.rows)), more: page.more };
  }

  /** A conversation's scheduled messages, the soonest due first: the history lists them only once sent. */
  async scheduledMessages(locationId: string, conversationId: string): Promise<MessageList> {
    const db = this.store.db;
    const conversation = await findConversation(db, locationId, conversationId);
    if (!conversation) throw notFound('Conversation');
    return withEmailIds(db, await scheduledMessages(db, conversation.id));
  }

  /** One page of the location's messages: every non-email channel, or exactly `channel` (Email only this way). */
  async exportMessages(locationId: string, params: ExportParams): Promise<ExportPage> {
    const from = isoInstant('startDate', params.startDate);
    const to = isoInstant('endDate', params.endDate);
    if (from !== undefined && to !== undefined && from > to) throw invalid('endDate must not be before startDate');
    const query: ExportQuery = {
      locationId,
      sortColumn: params.sortBy === 'updatedAt' ? 'date_updated' : 'date_added',
      order: params.sortOrder ?? 'desc',
      limit: params.limit ?? EXPORT_DEFAULT_LIMIT,
      ...(params.conversationId ? { conversationId: params.conversationId } : {}),
      ...(params.contactId ? { contactId: params.contactId } : {}),
      ...(params.channel ? { channel: params.channel } : {}),
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
    };
    // Everything that decides which rows match and in what order; a cursor is only good for the same query.
    const digest = queryDigest({
      locationId,
      sortColumn: query.sortColumn,
      order: query.order,
      conversationId: query.conversationId,
      contactId: query.contactId,
      channel: query.channel,
      from,
      to,
    });
    if (params.cursor) query.after = await this.cursors.verify(params.cursor, digest);
    const db = this.store.db;
    const page = await exportMessages(db, query);
    const last = page.rows.at(-1);
    const nextCursor =
      page.more && last ? await this.cursors.sign({ value: last[query.sortColumn], seq: last.seq }, digest) : null;
    return { ...(await withEmailIds(db, page.rows)), total: page.total, nextCursor };
  }
}
