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
    return eb('seq', 'in', sql<number>`(SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${ftsMatch(words)})`);
  }
  const query = words.map((word) => `${word}:*`).join(' & ');
  // The expression is the index's own (migration 0018), so the GIN index serves it.
  return sql<SqlBool>`to_tsvector('switchboard_text', coalesce(body, '')) @@ to_tsquery('switchboard_text', ${query})`;
}

/** Up to this many text matches, SQLite reads them from the full-text index and sorts them; beyond, it walks. */
const FEW_MATCHES = 5_000;

function ftsMatch(words: string[]): string {
  return words.map((word) => `"${word}"*`).join(' ');
}

/**
 * Whether SQLite should start from the full-text matches rather than walk the location's messages newest first until a
 * page of them match. A rare word (a name) has a few hundred matches in millions of messages: the walk would read most
 * of the location to fill a page, where fetching the matches and sorting them is a few milliseconds. A common word
 * fills a page within a few screens of the walk, where sorting its matches would cost one read per match. The count is
 * capped, so asking costs at most that many index entries.
 */
async function fewMatches(db: Executor, words: string[]): Promise<boolean> {
  if (engineOf(db) !== 'sqlite') return false;
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 FROM messages_fts
    WHERE messages_fts MATCH ${ftsMatch(words)} LIMIT ${FEW_MATCHES + 1})`.execute(db);
  return Number(rows[0]?.n ?? 0) <= FEW_MATCHES;
}

function filters(eb: EB, db: Executor, query: MessageSearchQuery, fromMatches = false): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [
    // `+location_id` hides the location's indexes from SQLite's planner, so it starts from the text matches.
    fromMatches ? sql<SqlBool>`+location_id = ${query.locationId}` : eb('location_id', '=', query.locationId),
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
  const fromMatches = await fewMatches(db, query.words);
  const page = db
    .selectFrom('messages')
    .selectAll()
    .where((eb) => {
      const conditions = filters(eb, db, query, fromMatches);
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
    .where((eb) => eb.and(filters(eb, db, query, fromMatches)));
  const compiled = count.compile();
  // The same for every page of a search (the cursor is no part of it): counted once while nothing changes.
  const total = cachedCount(db, `${compiled.sql}\n${JSON.stringify(compiled.parameters)}`, async () =>
    Number((await count.executeTakeFirstOrThrow()).n),
  );
  const [rows, counted] = await Promise.all([page, total]);
  return { rows: rows.slice(0, query.limit), more: rows.length > query.limit, total: counted };
}
