// A contact search as the store runs it: the query the domain builds from either of HighLevel's contact searches
// (src/domain/contact-search.ts), in HighLevel's field names, which the repository maps onto columns.

/** What a free-text query matches: an exact phone, an email prefix, or a prefix of the names and company (as typed). */
export type TextMatch =
  | { kind: 'phone'; value: string }
  | { kind: 'email'; prefix: string }
  | { kind: 'name'; prefix: string };

/** The contact fields a filter or sort may name, in HighLevel's words, each backed by a column. */
export const FILTER_FIELDS = [
  'id',
  'firstNameLowerCase',
  'lastNameLowerCase',
  'fullNameLowerCase',
  'email',
  'phone',
  'companyName',
  'assignedTo',
  'tags',
  'dnd',
  'dateAdded',
  'dateUpdated',
] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

export const SORT_FIELDS = ['dateAdded', 'dateUpdated', 'firstNameLowerCase', 'lastNameLowerCase', 'email'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

export const OPERATORS = ['eq', 'not_eq', 'contains', 'not_contains', 'exists', 'not_exists', 'range'] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Range {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export type Condition =
  | { kind: 'field'; field: FilterField; operator: Operator; value: string | boolean | Range | null }
  | { kind: 'group'; all: boolean; conditions: Condition[] };

export interface Sort {
  field: SortField;
  direction: 'asc' | 'desc';
}

/** Keyset position: the sort value and id of the last contact of the previous page. */
export interface After {
  value: string | number;
  id: string;
}

export interface ContactSearch {
  locationId: string;
  text?: TextMatch;
  conditions: Condition[];
  sort: Sort;
  limit: number;
  offset: number;
  after?: After;
}
