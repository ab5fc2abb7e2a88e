// Full-text search over messages (migration 0018): SQLite's FTS5 index or PostgreSQL's GIN index over the text,
// narrowed by location and filters, newest first by (date, seq), keyset-paged.
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { cachedCount } from '../count-cache.js';
import { type Executor, engineOf } from '../executor.js';
import type { Database } from '../schema.js';
import { type HistoryPosition, type MessageRow, olderThan } from './messages.js';

export interface MessageSearchQuery {
  locationId: string;
  /** Words already folded to the index's form (lower case, no accents, letters and digits only); each a prefix. */
  words: string[];
  conversationId?: string;
  contactId?: string;
  /** Only these message type codes (a channel). */
  types?: readonly number[];
  /** Strictly older than this (the previous page's last message). */
  before?: HistoryPosition;
  limit: number;
}

type EB = ExpressionBuilder<Database, 'messages'>;

function textMatch(eb: EB, db: Executor, words: string[]): Expression<SqlBool> {
  if (engineOf(db) === 'sqlite') {
    // Every word, each as a prefix: "direcc"* "marzo"*. Words hold only letters and digits, so quoting is enough.
    const match = words.map((word) => `"${word}"*`).join(' ');
    return eb('seq', 'in', sql<number>`(SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${match})`);
  }
  const query = words.map((word) => `${word}:*`).join(' & ');
  // The expression is the index's own (migration 0018), so the GIN index serves it.
  return sql<SqlBool>`to_tsvector('switchboard_text', coalesce(body, '')) @@ to_tsquery('switchboard_text', ${query})`;
}

function filters(eb: EB, db: Executor, query: MessageSearchQuery): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [
    eb('location_id', '=', query.locationId),
    textMatch(eb, db, query.words),
    // Not happened yet: searched once sent, as the history lists it.
    eb('status', '!=', 'scheduled'),
  ];
  if (query.conversationId) conditions.push(eb('conversation_id', '=', query.conversationId));
  if (query.contactId) conditions.push(eb('contact_id', '=', query.contactId));
  if (query.types) conditions.push(eb('type', 'in', [...query.types]));
  return conditions;
}

/** One page of matches newest first, whether another follows, and how many match in all. */
export async function searchMessages(
  db: Executor,
  query: MessageSearchQuery,
): Promise<{ rows: MessageRow[]; more: boolean; total: number }> {
  const before = query.before;
  const page = db
    .selectFrom('messages')
    .selectAll()
    .where((eb) => {
      const conditions = filters(eb, db, query);
      if (before) conditions.push(olderThan(eb, before));
      return eb.and(conditions);
    })
    .orderBy('date_added', 'desc')
    .orderBy('seq', 'desc')
    .limit(query.limit + 1)
    .execute();
  const count = db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where((eb) => eb.and(filters(eb, db, query)));
  const compiled = count.compile();
  // The same for every page of a search (the cursor is no part of it): counted once while nothing changes.
  const total = cachedCount(db, `${compiled.sql}\n${JSON.stringify(compiled.parameters)}`, async () =>
    Number((await count.executeTakeFirstOrThrow()).n),
  );
  const [rows, counted] = await Promise.all([page, total]);
  return { rows: rows.slice(0, query.limit), more: rows.length > query.limit, total: counted };
}
