// Conversation search: the spec's query parameters turned into one validated query, and the paging cursor.
import type { ConversationSearch, SearchCursor, SearchStatus, SortKey } from '../store/search-query.js';
import { DomainError } from './errors.js';

export interface SearchParams {
  locationId: string;
  contactId?: string;
  assignedTo?: string;
  followers?: string;
  mentions?: string;
  query?: string;
  sort?: 'asc' | 'desc';
  startAfterDate?: unknown;
  id?: string;
  limit?: number;
  lastMessageType?: string;
  lastMessageAction?: string;
  lastMessageDirection?: string;
  status?: SearchStatus;
  sortBy?: 'last_manual_message_date' | 'last_message_date' | 'score_profile' | 'overdue_at' | 'due_at';
  sortScoreProfile?: string;
  scoreProfile?: string;
  scoreProfileMin?: number;
  scoreProfileMax?: number;
  startDate?: number;
  endDate?: number;
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = [
    ...new Set(
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  ];
  return items.length > 0 ? items : undefined;
}

function invalid(message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', [message]);
}

/**
 * startAfterDate arrives as `123`, `123,45`, repeated keys, or `startAfterDate[]=` (axios' array form, which
 * the official SDK uses): every form is a list of one or two numbers.
 */
export function parseCursor(raw: unknown): SearchCursor | undefined {
  if (raw === undefined || raw === '') return undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((item) => String(item).split(',')).map((s) => s.trim());
  // Any way JavaScript prints a number: a score sort value can be 1e-7.
  const numbers = parts.map((part) => (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(part) ? Number(part) : Number.NaN));
  if (numbers.length === 0 || numbers.length > 2 || numbers.some((n) => !Number.isFinite(n))) {
    throw invalid('startAfterDate must be a number or an array of numbers (the sort value of the last conversation)');
  }
  const [value, seq] = numbers as [number, number | undefined];
  if (seq !== undefined && !Number.isSafeInteger(seq)) throw invalid('startAfterDate tiebreak must be an integer');
  return seq === undefined ? { value } : { value, seq };
}

const SORT_KEYS: Record<NonNullable<SearchParams['sortBy']>, SortKey> = {
  last_message_date: 'last_message_at',
  last_manual_message_date: 'last_manual_message_at',
  score_profile: 'score',
  due_at: 'due_at',
  overdue_at: 'due_at',
};

export function buildSearch(params: SearchParams, now: number): ConversationSearch {
  const sortKey = SORT_KEYS[params.sortBy ?? 'last_message_date'];
  const search: ConversationSearch = {
    locationId: params.locationId,
    status: params.status ?? 'all',
    sortKey,
    order: params.sort ?? 'desc',
    limit: params.limit ?? 20,
  };
  if (params.contactId) search.contactId = params.contactId;
  if (params.id) search.id = params.id;
  const assigned = list(params.assignedTo);
  if (assigned) {
    search.assignedTo = {
      userIds: assigned.filter((id) => id !== 'unassigned'),
      unassigned: assigned.includes('unassigned'),
    };
  }
  const followers = list(params.followers);
  if (followers) search.followers = followers;
  const mentions = list(params.mentions);
  if (mentions) search.mentions = mentions;
  const text = params.query?.trim().toLowerCase();
  // Cut by code point, not UTF-16 unit, so an emoji is never split into a lone surrogate.
  if (text) search.text = [...text].slice(0, 200).join('');
  if (params.lastMessageType) search.lastMessageType = params.lastMessageType;
  if (params.lastMessageAction) search.lastMessageAction = params.lastMessageAction;
  if (params.lastMessageDirection) search.lastMessageDirection = params.lastMessageDirection;
  if (sortKey === 'score') {
    const profile = params.sortScoreProfile ?? params.scoreProfile;
    if (!profile) throw invalid('sortScoreProfile should not be empty when sortBy is score_profile');
    search.sortScoreProfile = profile;
  }
  if (params.sortBy === 'overdue_at') search.overdueAt = now;
  if (params.scoreProfile) {
    search.scoreFilter = { profileId: params.scoreProfile };
    if (params.scoreProfileMin !== undefined) search.scoreFilter.min = params.scoreProfileMin;
    if (params.scoreProfileMax !== undefined) search.scoreFilter.max = params.scoreProfileMax;
  } else if (params.scoreProfileMin !== undefined || params.scoreProfileMax !== undefined) {
    throw invalid('scoreProfile should not be empty when scoreProfileMin or scoreProfileMax is given');
  }
  if (params.startDate !== undefined || params.endDate !== undefined) {
    search.dateAdded = {};
    if (params.startDate !== undefined) search.dateAdded.from = params.startDate;
    if (params.endDate !== undefined) search.dateAdded.to = params.endDate;
  }
  const after = parseCursor(params.startAfterDate);
  // Every sort value but a score is an epoch-millisecond integer (a bigint column on PostgreSQL).
  if (after && sortKey !== 'score' && !Number.isSafeInteger(after.value)) {
    throw invalid('startAfterDate must be an integer epoch in milliseconds when sorting by a date');
  }
  if (after) search.after = after;
  return search;
}
