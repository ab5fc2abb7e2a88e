// Contact search as HighLevel's two contact searches take it: the older GET /contacts/ (a free-text `query`, keyset
// paging on startAfter/startAfterId) and the newer POST /contacts/search (filters, groups, sort, page/pageLimit and
// searchAfter). Both become one ContactSearch the repository runs on indexes (migration 0016).
import {
  type After,
  type Condition,
  type ContactSearch,
  FILTER_FIELDS,
  OPERATORS,
  type Operator,
  type Range,
  SORT_FIELDS,
  type Sort,
  type TextMatch,
} from '../store/contact-query.js';
import { normalisePhone } from './contact-fields.js';
import { DomainError } from './errors.js';

/** HighLevel documents at most 100 contacts per page for GET /contacts/ and 500 per page for the newer search. */
export const MAX_LIST_LIMIT = 100;
export const MAX_PAGE_LIMIT = 500;
/** Offset paging stops here; deeper pages go through searchAfter (which costs the same at any depth). */
export const MAX_OFFSET_WINDOW = 10_000;

export type { ContactSearch };

const DATE_FIELDS: ReadonlySet<string> = new Set(['dateAdded', 'dateUpdated']);
const TEXT_OPERATORS: ReadonlySet<Operator> = new Set(['eq', 'not_eq', 'contains', 'not_contains']);

function invalid(message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', [message]);
}

const PHONE_LIKE = /^\+?[\d\s().\-/]+$/;

/** Reads a free-text query the way people type one: a phone number, an email (or its start), or a name's start. */
export function textMatch(query: string | undefined): TextMatch | undefined {
  const text = query?.trim();
  if (!text) return undefined;
  const digits = text.replace(/\D/g, '');
  if (PHONE_LIKE.test(text) && digits.length >= 7 && digits.length <= 15) {
    return { kind: 'phone', value: normalisePhone(text) };
  }
  if (text.includes('@')) return { kind: 'email', prefix: text };
  return { kind: 'name', prefix: text };
}

/** GET /contacts/: newest first, `limit` per page, the next page after the last contact's dateAdded and id. */
export function listSearch(input: {
  locationId: string;
  query?: string;
  limit?: number;
  startAfter?: number;
  startAfterId?: string;
}): ContactSearch {
  const limit = input.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw invalid(`limit must be an integer from 1 to ${MAX_LIST_LIMIT}`);
  }
  if ((input.startAfter === undefined) !== (input.startAfterId === undefined)) {
    throw invalid('startAfter and startAfterId must be sent together');
  }
  return {
    locationId: input.locationId,
    text: textMatch(input.query),
    conditions: [],
    sort: { field: 'dateAdded', direction: 'desc' },
    limit,
    offset: 0,
    after:
      input.startAfter !== undefined && input.startAfterId !== undefined
        ? { value: input.startAfter, id: input.startAfterId }
        : undefined,
  };
}

export interface AdvancedSearchInput {
  locationId: string;
  query?: string;
  page?: number;
  pageLimit?: number;
  searchAfter?: unknown[];
  filters?: unknown[];
  sort?: { field: string; direction?: string }[];
}

function oneOf<T extends string>(allowed: readonly T[], value: unknown, what: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalid(`${what} must be one of: ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
}

function rangeOf(value: unknown, at: string): Range {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(`${at}.value must be an object of gt, gte, lt and lte bounds`);
  }
  const range: Range = {};
  for (const [bound, raw] of Object.entries(value)) {
    if (!['gt', 'gte', 'lt', 'lte'].includes(bound)) throw invalid(`${at}.value has an unknown bound ${bound}`);
    const ms = typeof raw === 'number' ? raw : typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
    if (!Number.isFinite(ms)) throw invalid(`${at}.value.${bound} must be a date or a time in milliseconds`);
    range[bound as keyof Range] = ms;
  }
  if (Object.keys(range).length === 0) throw invalid(`${at}.value must name at least one bound`);
  return range;
}

function fieldCondition(raw: Record<string, unknown>, at: string): Condition {
  const field = oneOf(FILTER_FIELDS, raw.field, `${at}.field`);
  const operator = oneOf(OPERATORS, raw.operator, `${at}.operator`);
  if (operator === 'exists' || operator === 'not_exists') return { kind: 'field', field, operator, value: null };
  if (operator === 'range') {
    if (!DATE_FIELDS.has(field)) throw invalid(`${at}: range applies to dateAdded and dateUpdated only`);
    return { kind: 'field', field, operator, value: rangeOf(raw.value, at) };
  }
  if (field === 'dnd') {
    if (typeof raw.value !== 'boolean' || (operator !== 'eq' && operator !== 'not_eq')) {
      throw invalid(`${at}: dnd takes eq or not_eq with a boolean value`);
    }
    return { kind: 'field', field, operator, value: raw.value };
  }
  if (DATE_FIELDS.has(field)) throw invalid(`${at}: ${field} takes range, exists or not_exists`);
  if (!TEXT_OPERATORS.has(operator) || typeof raw.value !== 'string' || raw.value.trim() === '') {
    throw invalid(`${at}.value must be a non-empty string`);
  }
  const value = field === 'phone' ? normalisePhone(raw.value) : raw.value.trim();
  return { kind: 'field', field, operator, value };
}

const MAX_DEPTH = 3;
const MAX_FILTERS = 50;

function conditionsOf(raw: unknown[], at: string, depth: number, budget: { left: number }): Condition[] {
  return raw.map((item, index) => {
    const here = `${at}[${index}]`;
    budget.left -= 1;
    if (budget.left < 0) throw invalid(`filters may hold at most ${MAX_FILTERS} conditions in all`);
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw invalid(`${here} must be an object`);
    const record = item as Record<string, unknown>;
    if (record.group === undefined) return fieldCondition(record, here);
    const group = oneOf(['AND', 'OR'] as const, record.group, `${here}.group`);
    if (depth >= MAX_DEPTH) throw invalid(`${here}: groups nest at most ${MAX_DEPTH} deep`);
    if (!Array.isArray(record.filters) || record.filters.length === 0) {
      throw invalid(`${here}.filters must be a non-empty array`);
    }
    return {
      kind: 'group',
      all: group === 'AND',
      conditions: conditionsOf(record.filters, `${here}.filters`, depth + 1, budget),
    };
  });
}

function afterOf(searchAfter: unknown[] | undefined, sort: Sort): After | undefined {
  if (searchAfter === undefined) return undefined;
  const [value, id] = searchAfter;
  const dated = DATE_FIELDS.has(sort.field);
  if (searchAfter.length !== 2 || typeof id !== 'string' || typeof value !== (dated ? 'number' : 'string')) {
    throw invalid(
      `searchAfter must be the searchAfter of the last contact of the previous page: [${dated ? 'time in ms' : 'text'}, id]`,
    );
  }
  return { value: value as string | number, id };
}

/** POST /contacts/search. */
export function advancedSearch(input: AdvancedSearchInput): ContactSearch {
  const pageLimit = input.pageLimit ?? 20;
  const page = input.page ?? 1;
  if (input.sort && input.sort.length > 1) throw invalid('sort takes one field');
  const first = input.sort?.[0];
  const sort: Sort = first
    ? {
        field: oneOf(SORT_FIELDS, first.field, 'sort[0].field'),
        direction: oneOf(['asc', 'desc'] as const, first.direction ?? 'asc', 'sort[0].direction'),
      }
    : { field: 'dateAdded', direction: 'desc' };
  const after = afterOf(input.searchAfter, sort);
  if (after && input.page !== undefined && input.page !== 1) throw invalid('send either page or searchAfter');
  const offset = after ? 0 : (page - 1) * pageLimit;
  if (offset + pageLimit > MAX_OFFSET_WINDOW) {
    throw invalid(`page × pageLimit may reach ${MAX_OFFSET_WINDOW} at most; page deeper with searchAfter`);
  }
  return {
    locationId: input.locationId,
    text: textMatch(input.query),
    conditions: conditionsOf(input.filters ?? [], 'filters', 1, { left: MAX_FILTERS }),
    sort,
    limit: pageLimit,
    offset,
    after,
  };
}
