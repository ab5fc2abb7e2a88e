// Executes a conversation search. Every filter is an index range (see the migration); paging is keyset
// on (sort value, seq), never OFFSET, so page 1,000 costs what page 1 does.
import { type Expression, type ExpressionBuilder, expressionBuilder, type SqlBool, sql } from 'kysely';
import { cachedCount } from '../count-cache.js';
import type { Engine } from '../database.js';
import type { Executor } from '../executor.js';
import { type CountName, locationCount } from '../location-counts.js';
import { NamedConditions } from '../named-conditions.js';
import type { Database } from '../schema.js';
import type { ConversationSearch } from '../search-query.js';
import { type ConversationRow, decodeConversation, type StoredConversationRow } from './conversations.js';

type Scope = Database & { c: Database['conversations']; s: Database['conversation_scores'] };
type EB = ExpressionBuilder<Scope, 'c' | 's'>;

export interface SearchPage {
  rows: (ConversationRow & { sort_value: number })[];
  total: number;
}

function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function ftsMatch(eb: EB, text: string): Expression<SqlBool> {
  return eb(
    'c.seq',
    'in',
    sql<number>`(SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH ${ftsPhrase(text)})`,
  );
}

/** Whether the SQLite trigram index can serve a fragment (it needs at least three characters). */
function ftsSearchable(engine: Engine, text: string | undefined): text is string {
  return engine === 'sqlite' && text !== undefined && [...text].length >= 3;
}

function textCondition(eb: EB, text: string, engine: Engine, matches?: readonly number[]): Expression<SqlBool> {
  // A rare fragment (a phone number, an email address) was looked up in the trigram index first: its few matches
  // are fetched by rowid, where walking the location's sort index in order would visit every conversation. (Like
  // the page and its count, the lookup and the page are two reads: a row renamed in between shows its new text.)
  if (matches) return eb('c.seq', 'in', [...matches]);
  // The trigram indexes (FTS5 trigram, pg_trgm) need at least three characters; shorter fragments scan the location.
  if (ftsSearchable(engine, text)) return ftsMatch(eb, text);
  return sql<SqlBool>`c.search_text LIKE ${likePattern(text)} ESCAPE '\\'`;
}

function memberCondition(
  eb: EB,
  table: 'conversation_followers' | 'conversation_mentions',
  locationId: string,
  users: string[],
) {
  return eb(
    'c.id',
    'in',
    eb.selectFrom(table).select('conversation_id').where('location_id', '=', locationId).where('user_id', 'in', users),
  );
}

/** The ORDER BY of a search: the sort value, then the tiebreak that makes the order total. */
function sortKeys(search: ConversationSearch) {
  switch (search.sortKey) {
    case 'score':
      return { value: 's.score', tiebreak: 's.conversation_seq' } as const;
    case 'due_at':
      return { value: 'c.due_at', tiebreak: 'c.seq' } as const;
    default:
      return { value: `c.${search.sortKey}`, tiebreak: 'c.seq' } as const;
  }
}

/** What each condition of a search narrows by. */
type SearchFilter =
  | 'location'
  | 'contact'
  | 'id'
  | 'assignedTo'
  | 'followers'
  | 'mentions'
  | 'text'
  | 'lastMessageType'
  | 'lastMessageAction'
  | 'lastMessageDirection'
  | 'unread'
  | 'read'
  | 'starred'
  | 'score'
  | 'dateAdded'
  | 'dueDate'
  | 'overdue';

function filters(
  eb: EB,
  search: ConversationSearch,
  engine: Engine,
  matches?: readonly number[],
): NamedConditions<SearchFilter> {
  // With a rowid list to fetch, `+` keeps SQLite from walking a location index instead (unary plus on a column
  // makes the term unusable for an index, and every other index of conversations starts with location_id).
  const conditions = new NamedConditions<SearchFilter>().add(
    'location',
    matches ? sql<SqlBool>`+c.location_id = ${search.locationId}` : eb('c.location_id', '=', search.locationId),
  );
  if (search.contactId) conditions.add('contact', eb('c.contact_id', '=', search.contactId));
  if (search.id) conditions.add('id', eb('c.id', '=', search.id));
  if (search.assignedTo) {
    const { userIds, unassigned } = search.assignedTo;
    const options: Expression<SqlBool>[] = [];
    if (userIds.length > 0) options.push(eb('c.assigned_to', 'in', userIds));
    if (unassigned) options.push(eb('c.assigned_to', 'is', null));
    conditions.add('assignedTo', eb.or(options));
  }
  if (search.followers)
    conditions.add('followers', memberCondition(eb, 'conversation_followers', search.locationId, search.followers));
  if (search.mentions)
    conditions.add('mentions', memberCondition(eb, 'conversation_mentions', search.locationId, search.mentions));
  if (search.text) conditions.add('text', textCondition(eb, search.text, engine, matches));
  if (search.lastMessageType) conditions.add('lastMessageType', eb('c.last_message_type', '=', search.lastMessageType));
  if (search.lastMessageAction)
    conditions.add('lastMessageAction', eb('c.last_outbound_action', '=', search.lastMessageAction));
  if (search.lastMessageDirection)
    conditions.add('lastMessageDirection', eb('c.last_message_direction', '=', search.lastMessageDirection));
  // The literal predicates match the partial indexes' own, so both planners pick them.
  if (search.status === 'unread') conditions.add('unread', sql<SqlBool>`c.unread_count > 0`);
  if (search.status === 'read') conditions.add('read', eb('c.unread_count', '=', 0));
  if (search.status === 'starred') conditions.add('starred', sql<SqlBool>`c.starred = 1`);
  if (search.scoreFilter) {
    const { profileId, min, max } = search.scoreFilter;
    let scored = eb
      .selectFrom('conversation_scores')
      .select('conversation_seq')
      .where('location_id', '=', search.locationId)
      .where('profile_id', '=', profileId);
    if (min !== undefined) scored = scored.where('score', '>=', min);
    if (max !== undefined) scored = scored.where('score', '<=', max);
    conditions.add('score', eb('c.seq', 'in', scored));
  }
  if (search.dateAdded?.from !== undefined)
    conditions.add('dateAdded', eb('c.date_added', '>=', search.dateAdded.from));
  if (search.dateAdded?.to !== undefined) conditions.add('dateAdded', eb('c.date_added', '<=', search.dateAdded.to));
  if (search.sortKey === 'due_at') conditions.add('dueDate', eb('c.due_at', 'is not', null));
  if (search.overdueAt !== undefined) conditions.add('overdue', eb('c.due_at', '<', search.overdueAt));
  return conditions;
}

function baseQuery(db: Executor, search: ConversationSearch) {
  const query = db.selectFrom('conversations as c');
  if (search.sortKey !== 'score') return query;
  // Sorting by a score profile pages through the conversations that have a score in it, in the profile's index.
  return query.innerJoin('conversation_scores as s', (join) =>
    join
      .onRef('s.conversation_seq', '=', 'c.seq')
      .on('s.location_id', '=', search.locationId)
      .on('s.profile_id', '=', search.sortScoreProfile ?? ''),
  ) as unknown as typeof query;
}

/** The page and count queries of a search, built but not run (the query-plan tests EXPLAIN exactly these). */
/**
 * `matches`: the rowids of every conversation the text matches, when the trigram index was probed first and found
 * few (SQLite); the text condition is then a rowid list.
 */
export function searchQueries(db: Executor, engine: Engine, search: ConversationSearch, matches?: readonly number[]) {
  const { value, tiebreak } = sortKeys(search);
  const comparator = search.order === 'desc' ? '<' : '>';
  const where = (eb: EB) => eb.and(filters(eb, search, engine, matches).expressions);

  const rows = (after?: (eb: EB) => Expression<SqlBool>) =>
    baseQuery(db, search)
      .selectAll('c')
      .select(sql<number>`${sql.ref(value)}`.as('sort_value'))
      .where((eb) => (after ? eb.and([where(eb as EB), after(eb as EB)]) : where(eb as EB)))
      .orderBy(sql.ref(value), search.order)
      .orderBy(sql.ref(tiebreak), search.order)
      .limit(search.limit);

  const count = baseQuery(db, search)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where((eb) => where(eb as EB));

  const cursor = search.after;
  if (!cursor) return { page: rows(), count };
  if (cursor.seq === undefined) {
    // The one-number form: past this sort value, ties included (what production does).
    return { page: rows((eb) => eb(sql.ref(value), comparator, cursor.value)), count };
  }
  const { seq } = cursor;
  if (engine === 'postgres' || tiebreak !== 'c.seq') {
    const page = rows(
      () => sql<SqlBool>`(${sql.ref(value)}, ${sql.ref(tiebreak)}) ${sql.raw(comparator)} (${cursor.value}, ${seq})`,
    );
    return { page, count };
  }
  // SQLite seeks a row-value range only one column deep when its second column is the rowid (seq is), so a page
  // would rescan its whole tie group. Two exact seeks instead: the rest of the tie group, then past it.
  const tie = rows((eb) => eb.and([eb(sql.ref(value), '=', cursor.value), eb('c.seq', comparator, seq)]));
  const past = rows((eb) => eb(sql.ref(value), comparator, cursor.value));
  const page = db
    .selectFrom(
      db
        .selectFrom(tie.as('tie'))
        .selectAll()
        .unionAll(db.selectFrom(past.as('past')).selectAll())
        .as('p'),
    )
    .selectAll()
    .orderBy('p.sort_value', search.order)
    .orderBy('p.seq', search.order)
    .limit(search.limit);
  return { page, count };
}

/** At most this many trigram matches are fetched by rowid; more than that, and the sort index is walked instead. */
const SPARSE_MATCHES = 1000;

/** The rowids a fragment matches if they are few (at most SPARSE_MATCHES), else undefined. */
async function sparseMatches(db: Executor, text: string): Promise<number[] | undefined> {
  const { rows } = await sql<{ rowid: number }>`SELECT rowid FROM conversations_fts
    WHERE conversations_fts MATCH ${ftsPhrase(text)} LIMIT ${SPARSE_MATCHES + 1}`.execute(db);
  return rows.length <= SPARSE_MATCHES ? rows.map((row) => row.rowid) : undefined;
}

/**
 * The kept count equal to a search's total: when its only condition is the location, or the location and unread.
 * Chosen by the names of the conditions the search itself builds, so a filter added later is never taken for none.
 */
function keptCount(search: ConversationSearch, engine: Engine): CountName | null {
  // Sorting by a score profile joins its scores: the conversations without one are left out.
  if (search.sortKey === 'score') return null;
  const conditions = filters(expressionBuilder<Scope, 'c' | 's'>(), search, engine);
  if (conditions.are('location')) return 'conversations';
  if (conditions.are('location', 'unread')) return 'conversations:unread';
  return null;
}

export async function searchConversations(
  db: Executor,
  engine: Engine,
  search: ConversationSearch,
): Promise<SearchPage> {
  const matches = ftsSearchable(engine, search.text) ? await sparseMatches(db, search.text) : undefined;
  if (matches?.length === 0) return { rows: [], total: 0 };
  const { page, count } = searchQueries(db, engine, search, matches);
  // The total is exact, and over a large location costs more than the page. A whole-location total is kept as rows
  // change; any other is the same for every page of a search while nothing is written, so it is counted once.
  const kept = keptCount(search, engine);
  const compiled = count.compile();
  const total = kept
    ? locationCount(db, search.locationId, kept)
    : cachedCount(db, `${compiled.sql}\n${JSON.stringify(compiled.parameters)}`, async () =>
        Number((await count.executeTakeFirstOrThrow()).total),
      );
  const [rows, counted] = await Promise.all([page.execute(), total]);
  return { rows: (rows as (StoredConversationRow & { sort_value: number })[]).map(decodeConversation), total: counted };
}
