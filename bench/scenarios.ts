// The scenarios of a run, built from samples of the seeded data: ids drawn at random across the store, the
// location's users, common name fragments, and the cursors of deep pages (walked through the API first).
import type { Peek } from './dataset.js';
import type { LoadRequest } from './load.js';

export type Target =
  | { kind: 'ratio'; min: number }
  | { kind: 'p99'; maxMs: number }
  | { kind: 'relative'; to: string; maxFactor: number }
  | { kind: 'rate'; min: number };

export interface Scenario {
  name: string;
  title: string;
  method: 'GET' | 'POST';
  requests: LoadRequest[];
  /** Throughput scenarios use many connections; latency scenarios one, so p99 is service time, not queueing. */
  latency: boolean;
  target?: Target;
  /** Writes run last, after every read has seen the seeded store as it was. */
  writes?: boolean;
  /** Another load kept running at a steady pace while this one is measured (requests, requests per second). */
  background?: { method: 'POST'; requests: LoadRequest[]; rate: number };
}

export interface Samples {
  locationId: string;
  users: string[];
  conversations: { id: string; contactId: string }[];
  contactsWithPhone: string[];
  /** Phones and emails of contacts drawn across the whole location, for the lookups integrations make first. */
  contactKeys: { id: string; date_added: number; date_updated: number; phone: string | null; email: string | null }[];
  busiest: { id: string; messages: number } | null;
}

// Fragments of seeded names: common surnames (~0.4% of contacts each), a rare one, first names, and a prefix
// that matches several names (Will → Williams, Willis, William, Willie).
export const NAME_FRAGMENTS = ['smith', 'garcia', 'nguyen', 'okafor', 'jennifer', 'rodrig', 'will', 'yamamoto'];
/** Words message search looks for: first names the seed's messages greet contacts by (Hi {first}, …). */
export const MESSAGE_WORDS = ['priya', 'mateo', 'jennifer', 'hiroshi', 'olivia', 'jose', 'sofia', 'ethan'];

export type Api = <T>(path: string) => Promise<T>;

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

export async function drawSamples(peek: Peek, locationId: string, users: string[], busiest: Samples['busiest']) {
  const [range] = await peek.rows<{ low: number; high: number }>(
    'select min(seq) as low, max(seq) as high from conversations where location_id = ?',
    [locationId],
  );
  const low = Number(range?.low ?? 0);
  const high = Number(range?.high ?? 0);
  const seqs = [...new Set(Array.from({ length: 1500 }, () => low + Math.floor(Math.random() * (high - low + 1))))];
  const conversations = await peek.rows<{ id: string; contactId: string }>(
    `select id, contact_id as "contactId" from conversations where location_id = ? and seq in (${seqs.map(() => '?').join(',')})`,
    [locationId, ...seqs],
  );
  const contactIds = conversations.map((c) => c.contactId);
  const withPhone = await peek.rows<{ id: string }>(
    `select id from contacts where phone is not null and id in (${contactIds.map(() => '?').join(',')})`,
    contactIds,
  );
  // Random points of the id space (ids are random base62), so the keys come from anywhere in the location. The
  // location is compared as an expression (`|| ''`) so neither engine reads the location's contacts through one of
  // its indexes and sorts them, 200 times: on SQLite (no planner statistics) that took minutes at 1.2M contacts, and
  // the peek's synchronous reads held this process's event loop so long that the server closed its idle keep-alive
  // connection unseen, and the next request on it failed (`fetch failed`).
  const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const contactKeys: Samples['contactKeys'] = [];
  for (let i = 0; i < 200; i++) {
    const from = Array.from({ length: 3 }, () => BASE62[Math.floor(Math.random() * 62)]).join('');
    const [row] = await peek.rows<Samples['contactKeys'][number]>(
      "select id, date_added, date_updated, phone, email from contacts where location_id || '' = ? and id >= ? order by id limit 1",
      [locationId, from],
    );
    if (row) contactKeys.push(row);
  }
  return {
    locationId,
    users,
    contactKeys,
    conversations: shuffle(conversations).slice(0, 1000),
    contactsWithPhone: shuffle(withPhone.map((row) => row.id)),
    busiest,
  } satisfies Samples;
}

interface SearchPage {
  conversations: { sort: [number, number] }[];
}

interface MessagesPage {
  messages: { lastMessageId: string | null; nextPage: boolean };
}

/** The startAfterDate of page `page` (1-based) of the location's default search, walked through the API. */
async function searchCursor(api: Api, locationId: string, page: number): Promise<string> {
  let cursor = '';
  for (let p = 1; p < page; p++) {
    const body = await api<SearchPage>(`/conversations/search?locationId=${locationId}${cursor}`);
    const last = body.conversations.at(-1);
    if (!last) throw new Error(`the location has fewer than ${page} pages of conversations`);
    cursor = `&startAfterDate=${last.sort.join(',')}`;
  }
  return cursor;
}

/** The lastMessageId that opens page `page` of a conversation's messages (or its last page, if shorter). */
async function messagesCursor(api: Api, conversationId: string, page: number): Promise<{ id: string; page: number }> {
  let lastMessageId = '';
  let reached = 1;
  for (; reached < page; reached++) {
    const query = lastMessageId ? `?lastMessageId=${lastMessageId}` : '';
    const body = await api<MessagesPage>(`/conversations/${conversationId}/messages${query}`);
    if (!body.messages.nextPage || !body.messages.lastMessageId) break;
    lastMessageId = body.messages.lastMessageId;
  }
  return { id: lastMessageId, page: reached };
}

const SEARCH_DEEP_PAGE = 1000;
const SEARCH_PAGE_SIZE = 20;
const MESSAGES_DEEP_PAGE = 100;
const BACKGROUND_INBOUND_RATE = 20;

export async function buildScenarios(
  api: Api,
  samples: Samples,
  conversationCount: number,
  only: string[] | null = null,
): Promise<Scenario[]> {
  // Deep cursors are walked through the API page by page: only for a run that measures them.
  const measured = (name: string) => only === null || only.includes(name);
  const location = `locationId=${samples.locationId}`;
  const conversations = samples.conversations;
  // Page 1,000 where the dataset has that many pages (the small one does not: its deepest full page instead).
  const deepPage = Math.max(2, Math.min(SEARCH_DEEP_PAGE, Math.floor(conversationCount / SEARCH_PAGE_SIZE) - 1));
  const deepSearch = measured('search.page1000') ? await searchCursor(api, samples.locationId, deepPage) : '';
  const scenarios: Scenario[] = [
    {
      name: 'conversation.get',
      title: 'GET /conversations/{id}',
      method: 'GET',
      requests: conversations.map((c) => ({ path: `/conversations/${c.id}` })),
      latency: false,
      target: { kind: 'ratio', min: 0.5 },
    },
    {
      name: 'search.query',
      title: 'search: query (name fragment)',
      method: 'GET',
      requests: NAME_FRAGMENTS.map((q) => ({ path: `/conversations/search?${location}&query=${q}` })),
      latency: true,
      target: { kind: 'p99', maxMs: 25 },
    },
    {
      name: 'search.unread',
      title: 'search: status=unread + sortBy',
      method: 'GET',
      requests: ['last_message_date', 'last_manual_message_date'].map((sortBy) => ({
        path: `/conversations/search?${location}&status=unread&sortBy=${sortBy}`,
      })),
      latency: true,
      target: { kind: 'p99', maxMs: 25 },
    },
    {
      name: 'search.assigned',
      title: 'search: assignedTo',
      method: 'GET',
      requests: samples.users.map((user) => ({ path: `/conversations/search?${location}&assignedTo=${user}` })),
      latency: true,
      target: { kind: 'p99', maxMs: 25 },
    },
    {
      name: 'search.page1',
      title: 'search: page 1',
      method: 'GET',
      requests: [{ path: `/conversations/search?${location}` }],
      latency: true,
      target: { kind: 'p99', maxMs: 25 },
    },
    {
      name: 'search.page1000',
      title: `search: page ${deepPage.toLocaleString('en-US')} (startAfterDate)`,
      method: 'GET',
      requests: [{ path: `/conversations/search?${location}${deepSearch}` }],
      latency: true,
      target: { kind: 'relative', to: 'search.page1', maxFactor: 1.5 },
    },
    {
      // What a chatbot provider or an agent does before anything else: find the contact by phone (the SDK's
      // getContacts), or by email (the newer search).
      name: 'contacts.phone',
      title: 'GET /contacts/?query=<phone>',
      method: 'GET',
      requests: samples.contactKeys
        .filter((key) => key.phone)
        .map((key) => ({ path: `/contacts/?${location}&query=${encodeURIComponent(key.phone as string)}` })),
      latency: true,
      target: { kind: 'p99', maxMs: 10 },
    },
    {
      name: 'contacts.email',
      title: 'POST /contacts/search (email eq)',
      method: 'POST',
      requests: samples.contactKeys
        .filter((key) => key.email)
        .map((key) => ({
          path: '/contacts/search',
          body: JSON.stringify({
            locationId: samples.locationId,
            pageLimit: 20,
            filters: [{ field: 'email', operator: 'eq', value: key.email }],
          }),
        })),
      latency: true,
      target: { kind: 'p99', maxMs: 10 },
    },
    {
      // What a sync does: page through every contact of the location, the total on each page (kept: migration 0037).
      name: 'contacts.list',
      title: 'GET /contacts/ (no query; page 1 and later pages)',
      method: 'GET',
      requests: [
        { path: `/contacts/?${location}&limit=20` },
        ...samples.contactKeys.map((key) => ({
          path: `/contacts/?${location}&limit=20&startAfter=${key.date_added}&startAfterId=${key.id}`,
        })),
      ],
      latency: true,
      target: { kind: 'p99', maxMs: 10 },
    },
    {
      // The newer search sorted as a contact list UI sorts it: page 1 by each order, and by date updated past a contact.
      name: 'contacts.sorted',
      title: 'POST /contacts/search sorted (dateUpdated, names, email)',
      method: 'POST',
      requests: [
        ...(['dateUpdated', 'firstNameLowerCase', 'lastNameLowerCase', 'email'] as const).map((field) => ({
          path: '/contacts/search',
          body: JSON.stringify({ locationId: samples.locationId, pageLimit: 20, sort: [{ field, direction: 'asc' }] }),
        })),
        ...samples.contactKeys.map((key) => ({
          path: '/contacts/search',
          body: JSON.stringify({
            locationId: samples.locationId,
            pageLimit: 20,
            sort: [{ field: 'dateUpdated', direction: 'desc' }],
            searchAfter: [key.date_updated, key.id],
          }),
        })),
      ],
      latency: true,
      target: { kind: 'p99', maxMs: 10 },
    },
    {
      name: 'messages.list',
      title: 'GET /conversations/{id}/messages',
      method: 'GET',
      requests: conversations.map((c) => ({ path: `/conversations/${c.id}/messages` })),
      latency: false,
      target: { kind: 'ratio', min: 0.35 },
    },
    {
      name: 'messages.search',
      title: 'message search: a first name in every message of the location',
      method: 'GET',
      requests: MESSAGE_WORDS.map((q) => ({ path: `/conversations/messages/search?${location}&q=${q}` })),
      latency: true,
      target: { kind: 'p99', maxMs: 50 },
    },
  ];
  if (samples.busiest) {
    const deep = measured('messages.deep')
      ? await messagesCursor(api, samples.busiest.id, MESSAGES_DEEP_PAGE)
      : { id: '', page: 1 };
    const base = `/conversations/${samples.busiest.id}/messages`;
    scenarios.push(
      {
        name: 'messages.page1',
        title: `messages of the busiest conversation (${samples.busiest.messages.toLocaleString('en-US')}): page 1`,
        method: 'GET',
        requests: [{ path: base }],
        latency: true,
      },
      {
        name: 'messages.deep',
        title: `messages of the busiest conversation: page ${deep.page} (lastMessageId)`,
        method: 'GET',
        requests: [{ path: deep.id ? `${base}?lastMessageId=${deep.id}` : base }],
        latency: true,
        target: { kind: 'relative', to: 'messages.page1', maxFactor: 1.5 },
      },
    );
  }
  const inbound = conversations.map((c, i) => ({
    path: '/conversations/messages/inbound',
    body: JSON.stringify({ type: 'SMS', conversationId: c.id, message: `Benchmark inbound message ${i}` }),
  }));
  scenarios.push(
    {
      name: 'inbound',
      title: 'POST /conversations/messages/inbound (SMS)',
      method: 'POST',
      requests: inbound,
      latency: false,
      writes: true,
      target: { kind: 'rate', min: 3000 },
    },
    {
      // Any write retires the cached totals: this is what a search costs while messages keep arriving.
      name: 'search.page1-writes',
      title: `search: page 1 while ${BACKGROUND_INBOUND_RATE} inbound messages/s arrive`,
      method: 'GET',
      requests: [{ path: `/conversations/search?${location}` }],
      latency: true,
      writes: true,
      target: { kind: 'p99', maxMs: 25 },
      background: { method: 'POST', requests: inbound, rate: BACKGROUND_INBOUND_RATE },
    },
    {
      name: 'send',
      title: 'POST /conversations/messages (SMS, dev outbox)',
      method: 'POST',
      requests: samples.contactsWithPhone.map((contactId, i) => ({
        path: '/conversations/messages',
        body: JSON.stringify({ type: 'SMS', contactId, message: `Benchmark outbound message ${i}` }),
      })),
      latency: false,
      writes: true,
    },
  );
  return scenarios;
}
