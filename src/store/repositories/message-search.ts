// Full-text search over messages and the emails of their threads (migrations 0018, 0029): SQLite's FTS5 indexes or
// PostgreSQL's GIN indexes over the text, narrowed by location and filters, newest first by (date, seq), keyset-paged.
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { cachedCount } from '../count-cache.js';
import { type Executor, engineOf } from '../executor.js';
import type { Database } from '../schema.js';
import { emailSearchText } from '../search-text.js';
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

// A message holds the words when its own text does, or when one of its emails does (an email thread is one message:
// migration 0029 indexes each email's subject and text). Both indexes are the engine's own (migrations 0018, 0029).
const MESSAGE_TEXT = sql`to_tsvector('switchboard_text', coalesce(body, ''))`;
const EMAIL_TEXT = sql`to_tsvector('switchboard_text', coalesce(emails.subject, '') || ' ' || emails.body)`;

function ftsMatch(words: string[]): string {
  // Every word, each as a prefix: "direcc"* "marzo"*. Words hold only letters and digits, so quoting is enough.
  return words.map((word) => `"${word}"*`).join(' ');
}

function tsQuery(words: string[]) {
  return sql`to_tsquery('switchboard_text', ${words.map((word) => `${word}:*`).join(' & ')})`;
}

/** The seq of every message that holds the words, its own text or one of its emails', read from the indexes alone. */
function textHits(db: Executor, words: string[]) {
  if (engineOf(db) === 'sqlite') {
    const match = ftsMatch(words);
    return sql<{ hit: number }>`SELECT rowid AS hit FROM messages_fts WHERE messages_fts MATCH ${match}
      UNION SELECT messages.seq FROM emails_fts JOIN emails ON emails.rowid = emails_fts.rowid
        JOIN messages ON messages.id = emails.message_id WHERE emails_fts MATCH ${match}`;
  }
  const query = tsQuery(words);
  return sql<{ hit: number }>`SELECT seq AS hit FROM messages WHERE ${MESSAGE_TEXT} @@ ${query}
    UNION SELECT messages.seq FROM emails JOIN messages ON messages.id = emails.message_id
      WHERE ${EMAIL_TEXT} @@ ${query}`;
}

/**
 * The text condition checked row by row, for a walk of the location's messages newest first: each message's own
 * text, then its emails (only email threads have any).
 */
function textMatch(eb: EB, db: Executor, words: string[]): Expression<SqlBool> {
  if (engineOf(db) === 'sqlite') {
    const match = ftsMatch(words);
    return eb.or([
      eb('seq', 'in', sql<number>`(SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${match})`),
      sql<SqlBool>`EXISTS (SELECT 1 FROM emails WHERE emails.message_id = messages.id
        AND emails.rowid IN (SELECT rowid FROM emails_fts WHERE emails_fts MATCH ${match}))`,
    ]);
  }
  const query = tsQuery(words);
  return sql<SqlBool>`(${MESSAGE_TEXT} @@ ${query} OR EXISTS (SELECT 1 FROM emails
    WHERE emails.message_id = messages.id AND ${EMAIL_TEXT} @@ ${query}))`;
}

/**
 * The text condition as a list of matches: the message is one of the hits. SQLite reads the hits into a list and
 * finds each message by seq; PostgreSQL is handed them as one array (`= ANY(ARRAY(…))`, computed once), which its
 * planner sizes as a few values, so it looks each up by seq rather than walking the location.
 */
function amongHits(eb: EB, db: Executor, words: string[]): Expression<SqlBool> {
  const hits = textHits(db, words);
  if (engineOf(db) === 'sqlite') return eb('seq', 'in', sql<number>`(${hits})`);
  return sql<SqlBool>`seq = ANY(ARRAY(SELECT hit FROM (${hits}) AS hits))`;
}

/** Up to this many text matches, a search reads them from the full-text indexes and sorts them; beyond, it walks. */
const FEW_MATCHES = 5_000;

/**
 * Whether a search should start from the full-text matches rather than walk the location's messages newest first
 * until a page of them match. A rare word (a name) has a few hundred matches in millions of messages: the walk would
 * read most of the location to fill a page, where fetching the matches and sorting them is a few milliseconds. A
 * common word fills a page within a few screens of the walk, where sorting its matches would cost one read per
 * match. The count is capped, so asking costs at most that many index entries.
 */
async function fewMatches(db: Executor, words: string[]): Promise<boolean> {
  const { rows } = await sql<{ n: number | string }>`SELECT count(*) AS n FROM (SELECT hit FROM (${textHits(db, words)})
    AS hits LIMIT ${FEW_MATCHES + 1}) AS capped`.execute(db);
  return Number(rows[0]?.n ?? 0) <= FEW_MATCHES;
}

function filters(eb: EB, db: Executor, query: MessageSearchQuery, fromHits: boolean): Expression<SqlBool>[] {
  const sqlite = engineOf(db) === 'sqlite';
  const conditions: Expression<SqlBool>[] = [
    // `+location_id` hides the location's indexes from SQLite's planner, so it starts from the text matches.
    fromHits && sqlite ? sql<SqlBool>`+location_id = ${query.locationId}` : eb('location_id', '=', query.locationId),
    fromHits ? amongHits(eb, db, query.words) : textMatch(eb, db, query.words),
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
  const fromHits = await fewMatches(db, query.words);
  const page = db
    .selectFrom('messages')
    .selectAll()
    .where((eb) => {
      const conditions = filters(eb, db, query, fromHits);
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
    // Counted from the matches however many there are: a walk would read every message of the location.
    .where((eb) => eb.and(filters(eb, db, query, true)));
  const compiled = count.compile();
  // The same for every page of a search (the cursor is no part of it): counted once while nothing changes.
  const total = cachedCount(db, `${compiled.sql}\n${JSON.stringify(compiled.parameters)}`, async () =>
    Number((await count.executeTakeFirstOrThrow()).n),
  );
  const [rows, counted] = await Promise.all([page, total]);
  return { rows: rows.slice(0, query.limit), more: rows.length > query.limit, total: counted };
}

/** The searchable text of each email of these messages (email threads), newest email first. */
export async function emailTextsOf(db: Executor, messageIds: readonly string[]): Promise<Map<string, string[]>> {
  const texts = new Map<string, string[]>();
  if (messageIds.length === 0) return texts;
  const rows = await db
    .selectFrom('emails')
    .select(['message_id', 'subject', 'body'])
    .where('message_id', 'in', [...messageIds])
    .orderBy('date_added', 'desc')
    .execute();
  for (const row of rows) {
    const list = texts.get(row.message_id) ?? [];
    list.push(emailSearchText(row.subject, row.body));
    texts.set(row.message_id, list);
  }
  return texts;
}
