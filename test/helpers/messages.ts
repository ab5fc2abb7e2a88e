// Helpers for message tests: sending and recording through the API, and reading the conversation summary
// the way a client sees it (a search item). Stored rows are read directly only for what no route shows yet.
import type { TestLocation } from './factories.js';
import type { Harness, Response } from './harness.js';

let phones = 0;

/** A North American number no other test contact has (locations refuse duplicate contacts by phone). */
export function uniquePhone(): string {
  phones += 1;
  return `+1${String(2_000_000_000 + process.pid * 10_000 + phones).slice(-10)}`;
}

export function send(location: TestLocation, body: Record<string, unknown>): Promise<Response> {
  return location.api.post('conversations:send-a-new-message', '/conversations/messages', body);
}

export function inbound(location: TestLocation, body: Record<string, unknown>): Promise<Response> {
  return location.api.post('conversations:add-an-inbound-message', '/conversations/messages/inbound', body);
}

export function outboundCall(location: TestLocation, body: Record<string, unknown>): Promise<Response> {
  return location.api.post('conversations:add-an-outbound-message', '/conversations/messages/outbound', body);
}

/** GET /conversations/search, validated against the spec; answers the body. */
export async function search(location: TestLocation, query: Record<string, string | number> = {}) {
  const response = await location.api.get('conversations:search-conversation', '/conversations/search', {
    query: { locationId: location.locationId, ...query },
  });
  if (response.status !== 200) throw new Error(`search: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { conversations: Record<string, any>[]; total: number };
}

/** The conversation's search item: its summary as clients see it. */
export async function summaryOf(location: TestLocation, conversationId: string): Promise<Record<string, any>> {
  const { conversations } = await search(location, { id: conversationId });
  const item = conversations[0];
  if (!item) throw new Error(`conversation ${conversationId} is not in search`);
  return item;
}

/** Ids of the conversations a search finds. */
export async function searchIds(location: TestLocation, query: Record<string, string | number>): Promise<string[]> {
  return (await search(location, { limit: 100, ...query })).conversations.map((c) => c.id as string);
}

/** The stored message row (meta, error and sub-type are not shown by any route yet). */
export async function storedMessage(harness: Harness, messageId: string) {
  return harness.server.store.db.selectFrom('messages').selectAll().where('id', '=', messageId).executeTakeFirst();
}

export async function storedEmail(harness: Harness, emailId: string) {
  return harness.server.store.db.selectFrom('emails').selectAll().where('id', '=', emailId).executeTakeFirst();
}

export async function messageCount(harness: Harness, conversationId: string): Promise<number> {
  const row = await harness.server.store.db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('conversation_id', '=', conversationId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
