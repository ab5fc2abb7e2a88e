// Full-text search over messages and the emails of their threads (migrations 0018, 0029): SQLite's FTS5 indexes or
// PostgreSQL's GIN indexes over the text, narrowed by location and filters, newest first by (date, seq), keyset-paged.
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { cachedCount } from '../count-cache.js';
import { type Executor, engineOf } from '../executor.js';
import type { Database } from '../schema.js';
import { emailSearchText } from '../search-text.js';
import { decodeMessage, type HistoryPosition, type MessageRow, olderThan, type StoredMessageRow } from './messages.js';

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
  /** Up to this many matches are looked up rather than walked to (FEW_MATCHES; tests lower it to try the walk). */
  fewMatches?: number;
}

type EB = ExpressionBuilder<Database, 'messages'>;

// A message holds the words when its own text does, or when one of its emails does (an email thread is one message:
// migration 0029 indexes each email's subject and text). Both indexes are the engine's own (migrations 0018, 0029);
// PostgreSQL's read the first 100 000 characters of each text (0035: a tsvector holds 1 MB), written out here exactly
// as there, or the planner would not use them.
const MESSAGE_TEXT = sql`to_tsvector('switchboard_text', left(coalesce(body, ''), 100000))`;
const EMAIL_TEXT = sql`to_tsvector('switchboard_text', left(coalesce(emails.subject, '') || ' ' || emails.body, 100000))`;

function ftsMatch(words: string[]): string {
  // Every word, each as a prefix: "direcc"* "marzo"*. Words hold only letters and digits, so quoting is enough.
  return words.map((word) => `"${word}"*`).join(' ');
}

function tsQuery(words: string[]) {
  return sql`to_tsquery('switchboard_text', ${words.map((word) => `${word}:*`).join(' & ')})`;
}

/**
 * Messages whose text holds the words, by seq. On SQLite also email threads one of whose emails does (migration
 * 0036 keeps each email's thread seq beside the email index), so one list of seqs is every match; a thread matched by
 * its own text and by an email is in it twice. On PostgreSQL only the messages' own text (threads: matchedThreads).
 */
function matchedSeqs(db: Executor, words: string[]) {
  if (engineOf(db) === 'sqlite') {
    return sql<number>`SELECT rowid AS seq FROM messages_fts WHERE messages_fts MATCH ${ftsMatch(words)}
      UNION ALL SELECT message_seq FROM email_threads
      WHERE email_rowid IN (SELECT rowid FROM emails_fts WHERE emails_fts MATCH ${ftsMatch(words)})`;
  }
  return sql<number>`SELECT seq FROM messages WHERE ${MESSAGE_TEXT} @@ ${tsQuery(words)}`;
}

/** PostgreSQL: email threads one of whose emails holds the words, by id. */
function matchedThreads(words: string[]) {
  return sql<string>`SELECT message_id FROM emails WHERE ${EMAIL_TEXT} @@ ${tsQuery(words)}`;
}

/**
 * The text condition checked row by row, for a walk of the location's messages newest first. On SQLite one list of
 * seqs, checked from the location's date index alone. On PostgreSQL each message's own text, then its emails (only
 * email threads have any) as a scalar subquery per row, which it cannot turn into a hash of every matching email of
 * every location, as it does an EXISTS under an OR.
 */
function textMatch(eb: EB, db: Executor, words: string[]): Expression<SqlBool> {
  if (engineOf(db) === 'sqlite') return eb('seq', 'in', sql<number>`(${matchedSeqs(db, words)})`);
  const query = tsQuery(words);
  return sql<SqlBool>`(${MESSAGE_TEXT} @@ ${query} OR (SELECT bool_or(${EMAIL_TEXT} @@ ${query}) FROM emails
    WHERE emails.message_id = messages.id))`;
}

/** The matches of a search that has few: messages by seq (on SQLite, email threads too), email threads by id. */
interface Hits {
  seqs: number[];
  ids: string[];
}

/**
 * The text condition as the matches: the message is one of them, found by seq or id, an index seek apiece. Given the
 * hits (few), as lists; otherwise as subqueries over the full-text indexes (SQLite reads them into lists; PostgreSQL
 * computes each once as an array, which its planner sizes as a few values, so it seeks rather than walking the
 * location or hashing the table).
 */
function amongHits(eb: EB, db: Executor, words: string[], hits: Hits | null): Expression<SqlBool> {
  if (engineOf(db) === 'sqlite') {
    const seqs = hits
      ? sql<number>`(SELECT value FROM json_each(${JSON.stringify(hits.seqs)}))`
      : sql<number>`(${matchedSeqs(db, words)})`;
    return eb('seq', 'in', seqs);
  }
  const seqs = hits ? sql`${hits.seqs}::bigint[]` : sql`ARRAY(${matchedSeqs(db, words)})`;
  const ids = hits ? sql`${hits.ids}::text[]` : sql`ARRAY(${matchedThreads(words)})`;
  return sql<SqlBool>`(seq = ANY(${seqs}) OR id = ANY(${ids}))`;
}

/** Up to this many text matches, a search reads them from the full-text indexes and sorts them; beyond, it walks. */
const FEW_MATCHES = 5_000;

/**
 * The matches when there are few, read from the full-text indexes alone (capped, so asking costs at most that many
 * index entries), or null when there are more. A rare word (a name) has a few hundred matches in millions of messages:
 * walking the location's messages newest first until a page of them match would read most of the location, where
 * looking up the matches and sorting them is a few milliseconds. A common word fills a page within a few screens of
 * the walk, where sorting its matches would cost one read per match. Read once per search, and handed to the page
 * and count queries as lists, so neither reads the indexes again.
 */
async function fewHits(db: Executor, words: string[], few: number): Promise<Hits | null> {
  if (engineOf(db) === 'sqlite') {
    const { rows } = await sql<{ seq: number }>`SELECT seq FROM (${matchedSeqs(db, words)}) LIMIT ${few + 1}`.execute(
      db,
    );
    if (rows.length > few) return null;
    return { seqs: [...new Set(rows.map((row) => row.seq))], ids: [] };
  }
  const { rows } = await sql<{ seq: number | string | null; message_id: string | null }>`SELECT seq, NULL AS message_id
    FROM (${matchedSeqs(db, words)}) AS own UNION ALL SELECT NULL, message_id FROM (${matchedThreads(words)}) AS threads
    LIMIT ${few + 1}`.execute(db);
  if (rows.length > few) return null;
  const hits: Hits = { seqs: [], ids: [] };
  for (const row of rows) {
    if (row.message_id !== null) hits.ids.push(row.message_id);
    else if (row.seq !== null) hits.seqs.push(Number(row.seq));
  }
  return hits;
}

function filters(
  eb: EB,
  db: Executor,
  query: MessageSearchQuery,
  among: { hits: Hits | null } | null,
  { sentOnly = true } = {},
) {
  const sqlite = engineOf(db) === 'sqlite';
  const conditions: Expression<SqlBool>[] = [
    // `+location_id` hides the location's indexes from SQLite's planner, so it starts from the text matches.
    among && sqlite ? sql<SqlBool>`+location_id = ${query.locationId}` : eb('location_id', '=', query.locationId),
    among ? amongHits(eb, db, query.words, among.hits) : textMatch(eb, db, query.words),
  ];
  // Not happened yet: searched once sent, as the history lists it.
  if (sentOnly) conditions.push(eb('status', '!=', 'scheduled'));
  if (query.conversationId) conditions.push(eb('conversation_id', '=', query.conversationId));
  if (query.contactId) conditions.push(eb('contact_id', '=', query.contactId));
  if (query.types) conditions.push(eb('type', 'in', [...query.types]));
  return conditions;
}

/**
 * SQLite, many matches: the location's messages walked newest first on its date index, each checked against the list
 * of matching seqs from the index entry alone (it holds the location, date and seq), and only the rows found read.
 * Checking the status during the walk would read every walked message's row (at 10M messages, 50 ms rather than 8 for
 * a first name); a scheduled message the walk finds is dropped when its row is read, and the walk goes on past it.
 */
async function walkedPage(db: Executor, query: MessageSearchQuery, limit: number): Promise<StoredMessageRow[]> {
  const rows: StoredMessageRow[] = [];
  let position = query.before;
  for (;;) {
    const want = limit - rows.length;
    const found = await db
      .selectFrom('messages')
      .select(['seq', 'date_added'])
      .where((eb) => {
        const conditions = filters(eb, db, query, null, { sentOnly: false });
        if (position) conditions.push(olderThan(eb, position));
        return eb.and(conditions);
      })
      .orderBy('date_added', 'desc')
      .orderBy('seq', 'desc')
      .limit(want)
      .execute();
    const last = found.at(-1);
    if (!last) return rows;
    const read = await db
      .selectFrom('messages')
      .selectAll()
      .where(
        'seq',
        'in',
        found.map((row) => row.seq),
      )
      .where('status', '!=', 'scheduled')
      .orderBy('date_added', 'desc')
      .orderBy('seq', 'desc')
      .execute();
    rows.push(...read);
    if (rows.length >= limit || found.length < want) return rows;
    position = { at: last.date_added, seq: last.seq };
  }
}

/** One page of matches newest first, whether another follows, and how many match in all. */
export async function searchMessages(
  db: Executor,
  query: MessageSearchQuery,
): Promise<{ rows: MessageRow[]; more: boolean; total: number }> {
  const before = query.before;
  const hits = await fewHits(db, query.words, query.fewMatches ?? FEW_MATCHES);
  if (hits && hits.seqs.length === 0 && hits.ids.length === 0) return { rows: [], more: false, total: 0 };
  const matches = db
    .selectFrom('messages')
    .selectAll()
    .where((eb) => {
      const conditions = filters(eb, db, query, hits ? { hits } : null);
      if (before) conditions.push(olderThan(eb, before));
      return eb.and(conditions);
    });
  // Few matches: looked up and sorted. Many: the location's messages walked newest first until a page matches.
  // PostgreSQL would walk them for few matches too, told how few there are (it expects a page within the first
  // screens): the OFFSET 0 fence has it find every match first, and only then sort them.
  const limit = query.limit + 1;
  const page =
    !hits && engineOf(db) === 'sqlite'
      ? walkedPage(db, query, limit)
      : hits && engineOf(db) === 'postgres'
        ? db
            .selectFrom(matches.offset(0).as('m'))
            .selectAll()
            .orderBy('date_added', 'desc')
            .orderBy('seq', 'desc')
            .limit(limit)
            .execute()
        : matches.orderBy('date_added', 'desc').orderBy('seq', 'desc').limit(limit).execute();
  const count = db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    // Counted from the matches however many there are: a walk would read every message of the location.
    .where((eb) => eb.and(filters(eb, db, query, { hits })));
  const counting = async () => Number((await count.executeTakeFirstOrThrow()).n);
  const { before: _before, limit: _limit, fewMatches: _few, ...search } = query;
  // Few matches are counted from the same list as the page, a few seeks. Many are counted from the indexes once and
  // remembered while nothing changes (the cursor is no part of it): the same for every page of the search.
  const total = hits ? counting() : cachedCount(db, `message-search ${JSON.stringify(search)}`, counting);
  const [rows, n] = await Promise.all([page, total]);
  return { rows: rows.slice(0, query.limit).map(decodeMessage), more: rows.length > query.limit, total: n };
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
