// Runs a contact search. A phone is an equality on (location_id, phone); an email or a name is a prefix, run as a
// range on an index of the lowered column (migration 0016); pages are keyset on (sort key, id). Text compares
// byte-wise on both engines (PostgreSQL through COLLATE "C"), so a prefix range is exactly "starts with".
import { type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { After, Condition, ContactSearch, Range, Sort, TextMatch } from '../contact-query.js';
import type { Engine } from '../database.js';
import type { Executor } from '../executor.js';
import { locationCount } from '../location-counts.js';
import type { Database } from '../schema.js';
import { type ContactRow, decodeContact, type StoredContactRow } from './contacts.js';

type EB = ExpressionBuilder<Database, 'contacts'>;

export interface ContactPage {
  rows: (ContactRow & { sort_key: string | number })[];
  total: number;
}

/** The lowered, byte-ordered text of a column, as the prefix indexes hold it. */
function lowered(engine: Engine, column: string): RawBuilder<string> {
  const expression = sql`lower(${sql.ref(column)})`;
  return engine === 'postgres' ? sql<string>`(${expression}) COLLATE "C"` : sql<string>`${expression}`;
}

function bytewise(engine: Engine, column: string): RawBuilder<string> {
  return engine === 'postgres' ? sql<string>`${sql.ref(column)} COLLATE "C"` : sql<string>`${sql.ref(column)}`;
}

/** The smallest string greater than every string starting with `prefix` (code point order is UTF-8 byte order). */
function prefixEnd(prefix: string): string {
  const points = [...prefix];
  const last = points.pop() as string;
  return points.join('') + String.fromCodePoint((last.codePointAt(0) as number) + 1);
}

/**
 * The lowered forms of a text that `lower()` may have stored: Unicode-lowered (PostgreSQL in a UTF-8 locale) and
 * ASCII-lowered (SQLite, or PostgreSQL under the C locale), so a case-blind match holds on either.
 */
function loweredForms(text: string): string[] {
  return [...new Set([text.toLowerCase(), text.replace(/[A-Z]/g, (ch) => ch.toLowerCase())])];
}

function startsWith(eb: EB, key: RawBuilder<string>, prefix: string): Expression<SqlBool> {
  return eb.or(loweredForms(prefix).map((form) => eb.and([eb(key, '>=', form), eb(key, '<', prefixEnd(form))])));
}

function textCondition(eb: EB, engine: Engine, text: TextMatch): Expression<SqlBool> {
  switch (text.kind) {
    case 'phone':
      return eb('phone', '=', text.value);
    case 'email':
      return startsWith(eb, bytewise(engine, 'email_lower'), text.prefix.toLowerCase());
    case 'name':
      return eb.or([
        startsWith(eb, lowered(engine, 'full_name'), text.prefix),
        startsWith(eb, lowered(engine, 'last_name'), text.prefix),
        startsWith(eb, lowered(engine, 'company_name'), text.prefix),
        startsWith(eb, bytewise(engine, 'email_lower'), text.prefix.toLowerCase()),
      ]);
  }
}

const TEXT_COLUMNS = {
  id: 'id',
  firstNameLowerCase: 'first_name',
  lastNameLowerCase: 'last_name',
  fullNameLowerCase: 'full_name',
  email: 'email_lower',
  phone: 'phone',
  companyName: 'company_name',
  assignedTo: 'assigned_to',
} as const;

function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

function rangeCondition(eb: EB, column: 'date_added' | 'date_updated', range: Range): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (range.gt !== undefined) parts.push(eb(column, '>', range.gt));
  if (range.gte !== undefined) parts.push(eb(column, '>=', range.gte));
  if (range.lt !== undefined) parts.push(eb(column, '<', range.lt));
  if (range.lte !== undefined) parts.push(eb(column, '<=', range.lte));
  return eb.and(parts);
}

function fieldCondition(eb: EB, engine: Engine, condition: Extract<Condition, { kind: 'field' }>): Expression<SqlBool> {
  const { field, operator, value } = condition;
  if (field === 'dateAdded' || field === 'dateUpdated') {
    const column = field === 'dateAdded' ? 'date_added' : 'date_updated';
    // Both dates are always set.
    if (operator === 'exists') return sql<SqlBool>`1 = 1`;
    if (operator === 'not_exists') return sql<SqlBool>`1 = 0`;
    return rangeCondition(eb, column, value as Range);
  }
  if (field === 'dnd') {
    if (operator === 'exists') return sql<SqlBool>`1 = 1`;
    if (operator === 'not_exists') return sql<SqlBool>`1 = 0`;
    return eb('dnd', operator === 'eq' ? '=' : '<>', value ? 1 : 0);
  }
  if (field === 'tags') {
    if (operator === 'exists') return eb('tags', '<>', '[]');
    if (operator === 'not_exists') return eb('tags', '=', '[]');
    // Tags are a JSON array of strings: eq finds a tag by its quoted form, contains a fragment of any tag.
    const tag = String(value).toLowerCase();
    const fragment = operator === 'eq' || operator === 'not_eq' ? JSON.stringify(tag) : tag;
    const like = sql<SqlBool>`lower(tags) LIKE ${`%${likeEscaped(fragment)}%`} ESCAPE '\\'`;
    return operator.startsWith('not') ? eb.not(like) : like;
  }
  const column = TEXT_COLUMNS[field];
  if (operator === 'exists') return eb(column, 'is not', null);
  if (operator === 'not_exists') return eb(column, 'is', null);
  const text = String(value);
  // Emails are stored lowered (email_lower, indexed); names and company are lowered by the index expression. The
  // other columns compare as stored: equality needs no byte order, and a COLLATE "C" on them would keep PostgreSQL
  // off their plain indexes (a phone would be found by reading the location).
  const caseless = field !== 'id' && field !== 'phone' && field !== 'assignedTo' && field !== 'email';
  const key = caseless ? lowered(engine, column) : sql<string>`${sql.ref(column)}`;
  const targets = caseless ? loweredForms(text) : [field === 'email' ? text.toLowerCase() : text];
  if (operator === 'eq') return eb(key, 'in', targets);
  if (operator === 'not_eq') return eb.or([eb(column, 'is', null), eb(key, 'not in', targets)]);
  const like = eb.or(targets.map((target) => sql<SqlBool>`${key} LIKE ${`%${likeEscaped(target)}%`} ESCAPE '\\'`));
  return operator === 'contains' ? like : eb.or([eb(column, 'is', null), eb.not(like)]);
}

function condition(eb: EB, engine: Engine, node: Condition): Expression<SqlBool> {
  if (node.kind === 'field') return fieldCondition(eb, engine, node);
  const parts = node.conditions.map((child) => condition(eb, engine, child));
  return node.all ? eb.and(parts) : eb.or(parts);
}

/** The sort key: dates as they are, text lowered with missing values as '' so every contact has a place. */
function sortKey(engine: Engine, sort: Sort): RawBuilder<string | number> {
  switch (sort.field) {
    case 'dateAdded':
      return sql`date_added`;
    case 'dateUpdated':
      return sql`date_updated`;
    case 'email':
      return sql`coalesce(${bytewise(engine, 'email_lower')}, '')`;
    case 'firstNameLowerCase':
      return sql`coalesce(${lowered(engine, 'first_name')}, '')`;
    case 'lastNameLowerCase':
      return sql`coalesce(${lowered(engine, 'last_name')}, '')`;
  }
}

/**
 * Past the previous page's last contact, as one row-value comparison: both engines seek an index on (key, id) to it.
 * Spelt as `key < v OR (key = v AND id < i)`, it was a filter on the location's rows, not a range: SQLite read every
 * contact newer than the page, about 120 ms a page deep into a location of 1.2M contacts.
 */
function afterCondition(key: RawBuilder<string | number>, sort: Sort, after: After): Expression<SqlBool> {
  const op = sql.raw(sort.direction === 'desc' ? '<' : '>');
  return sql<SqlBool>`(${key}, id) ${op} (${after.value}, ${after.id})`;
}

/** The page and count queries of a search, built but not run (the query-plan tests EXPLAIN them). */
export function contactSearchQueries(db: Executor, engine: Engine, search: ContactSearch) {
  const key = sortKey(engine, search.sort);
  const filtered = db
    .selectFrom('contacts')
    .where('location_id', '=', search.locationId)
    .where((eb) => {
      const parts: Expression<SqlBool>[] = search.conditions.map((node) => condition(eb, engine, node));
      if (search.text) parts.push(textCondition(eb, engine, search.text));
      return eb.and(parts);
    });
  const page = filtered
    .selectAll()
    .select(key.as('sort_key'))
    .$if(search.after !== undefined, (q) => q.where(afterCondition(key, search.sort, search.after as After)))
    .orderBy(key, search.sort.direction)
    .orderBy('id', search.sort.direction)
    .limit(search.limit)
    .offset(search.offset);
  const count = filtered.select((eb) => eb.fn.countAll<number | string>().as('n'));
  return { page, count };
}

export async function searchContacts(db: Executor, engine: Engine, search: ContactSearch): Promise<ContactPage> {
  const { page, count } = contactSearchQueries(db, engine, search);
  // A list with no filter counts the whole location: the kept count (migration 0037) says it in one row.
  const unfiltered = search.conditions.length === 0 && !search.text;
  const total = unfiltered
    ? locationCount(db, search.locationId, 'contacts')
    : count.executeTakeFirstOrThrow().then((counted) => Number(counted.n));
  const [rows, counted] = await Promise.all([page.execute(), total]);
  return { rows: (rows as (StoredContactRow & { sort_key: string | number })[]).map(decodeContact), total: counted };
}
