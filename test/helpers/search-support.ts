// Shared by the conversation-search tests: a clock the test sets, search calls, the admin patch, a page walker.
import { expect } from 'vitest';
import type { Clock } from '../../src/domain/clock.js';
import { createContact, createConversation, type TestLocation } from './factories.js';
import type { Harness, RequestOptions, Response } from './harness.js';

export const T0 = Date.parse('2026-03-01T09:00:00.000Z');

/** A clock that stands still until the test moves it, so timestamps tie or differ exactly as a test wants. */
export class SetClock implements Clock {
  constructor(public at = T0) {}
  now(): number {
    return this.at;
  }
}

export interface SearchItem {
  id: string;
  contactId: string;
  sort: [number, number];
  dateAdded: number;
  lastMessageDate: number;
  lastManualMessageDate: number;
  unreadCount: number;
  starred: boolean;
  followers: string[];
  mentions: string[];
  assignedTo?: string;
  [field: string]: unknown;
}

export interface SearchBody {
  conversations: SearchItem[];
  total: number;
}

type Query = NonNullable<RequestOptions['query']>;

/** GET /conversations/search for the location; the response is checked against the spec by the client. */
export function search(location: TestLocation, query: Query = {}): Promise<Response<SearchBody>> {
  return location.api.get<SearchBody>('conversations:search-conversation', '/conversations/search', {
    query: { locationId: location.locationId, ...query },
  });
}

/** The ids a successful search answers, in order. */
export async function searchIds(location: TestLocation, query: Query = {}): Promise<string[]> {
  const response = await search(location, query);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.conversations.map((item) => item.id);
}

/** Operator fields the public API cannot set: assignment, followers, mentions, scores, due date. */
export async function adminPatch(
  harness: Harness,
  location: TestLocation,
  conversationId: string,
  body: Record<string, unknown>,
): Promise<void> {
  const url = `/admin/v1/locations/${location.locationId}/conversations/${conversationId}`;
  const response = await harness.admin.patch(null, url, body);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

/** n conversations, each with its own contact, created in order (ids returned in creation order). */
export async function createConversations(location: TestLocation, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) ids.push((await createConversation(location)).id);
  return ids;
}

/** A conversation for a new contact with these fields (name, email, phone, companyName, assignedTo...). */
export async function conversationFor(location: TestLocation, fields: Record<string, unknown>): Promise<string> {
  const contact = await createContact(location, fields);
  return (await createConversation(location, contact.id)).id;
}

export type CursorStyle = 'comma' | 'repeated' | 'axios';

/** startAfterDate as a client sends it: `a,b`, `startAfterDate=a&startAfterDate=b`, or axios' `startAfterDate[]=`. */
export function cursorQuery(sort: [number, number], style: CursorStyle): Query {
  const parts = sort.map(String);
  if (style === 'comma') return { startAfterDate: parts.join(',') };
  if (style === 'repeated') return { startAfterDate: parts };
  return { 'startAfterDate[]': parts };
}

/**
 * Walks every page, passing the last item's `sort` back as startAfterDate. `between` runs after each page (to
 * insert conversations mid-walk). Returns every item seen, in order.
 */
export async function walk(
  location: TestLocation,
  query: Query,
  style: CursorStyle,
  between?: () => Promise<void>,
): Promise<SearchItem[]> {
  const seen: SearchItem[] = [];
  let cursor: Query = {};
  for (let page = 0; page < 1000; page += 1) {
    const response = await search(location, { ...query, ...cursor });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const items = response.body.conversations;
    seen.push(...items);
    const last = items.at(-1);
    if (!last) return seen;
    cursor = cursorQuery(last.sort, style);
    await between?.();
  }
  throw new Error('paging did not end');
}
