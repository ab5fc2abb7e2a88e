// GET /conversations/search: every filter of the spec, the total, and the limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import {
  adminPatch,
  conversationFor,
  createConversations,
  SetClock,
  search,
  searchIds,
  T0,
} from '../helpers/search-support.js';

const sorted = (ids: string[]) => [...ids].sort();

describe.each(ENGINES)('conversation search filters on %s', (engine) => {
  let harness: Harness;
  const clock = new SetClock();

  beforeAll(async () => {
    harness = await startHarness(engine, { clock });
  });
  afterAll(() => harness?.close());

  async function freshLocation(): Promise<TestLocation> {
    return createLocation(harness);
  }

  it('finds nothing in an empty location and never shows another location’s conversations', async () => {
    const location = await freshLocation();
    const other = await freshLocation();
    await createConversations(other, 2);
    const response = await search(location);
    expect(response.body).toMatchObject({ conversations: [], total: 0 });
  });

  it('filters by contactId and by conversation id, within the location only', async () => {
    const location = await freshLocation();
    const other = await freshLocation();
    const [first, second] = await createConversations(location, 2);
    const foreign = await createConversation(other);
    const firstItem = (await search(location, { id: first })).body.conversations[0];
    expect(firstItem?.id).toBe(first);

    expect(await searchIds(location, { contactId: firstItem?.contactId as string })).toEqual([first]);
    expect(await searchIds(location, { id: second })).toEqual([second]);
    expect(await searchIds(location, { contactId: foreign.contactId })).toEqual([]);
    expect(await searchIds(location, { id: foreign.id })).toEqual([]);
    expect(await searchIds(location, { id: 'doesNotExist00000000' })).toEqual([]);
  });

  it('filters by assignedTo: one user, a comma list, "unassigned", and a mix', async () => {
    const location = await freshLocation();
    const [u1, u2, u3, none1, none2] = await createConversations(location, 5);
    await adminPatch(harness, location, u1 as string, { assignedTo: 'user1' });
    await adminPatch(harness, location, u2 as string, { assignedTo: 'user2' });
    await adminPatch(harness, location, u3 as string, { assignedTo: 'user3' });

    expect(await searchIds(location, { assignedTo: 'user1' })).toEqual([u1]);
    expect(sorted(await searchIds(location, { assignedTo: 'user1,user2' }))).toEqual(sorted([u1, u2] as string[]));
    expect(sorted(await searchIds(location, { assignedTo: ' user1 , user2 ,' }))).toEqual(sorted([u1, u2] as string[]));
    expect(sorted(await searchIds(location, { assignedTo: 'unassigned' }))).toEqual(sorted([none1, none2] as string[]));
    expect(sorted(await searchIds(location, { assignedTo: 'user3,unassigned' }))).toEqual(
      sorted([u3, none1, none2] as string[]),
    );
    expect(await searchIds(location, { assignedTo: 'nobody' })).toEqual([]);
    const item = (await search(location, { assignedTo: 'user2' })).body.conversations[0];
    expect(item?.assignedTo).toBe('user2');
  });

  it('follows the contact’s assignedTo on create and on every contact update', async () => {
    const location = await freshLocation();
    const contact = await createContact(location, { assignedTo: 'ownerA' });
    const conversation = await createConversation(location, contact.id);
    expect(await searchIds(location, { assignedTo: 'ownerA' })).toEqual([conversation.id]);

    const moved = await location.api.put('contacts:update-contact', `/contacts/${contact.id}`, {
      assignedTo: 'ownerB',
    });
    expect(moved.status).toBe(200);
    expect(await searchIds(location, { assignedTo: 'ownerA' })).toEqual([]);
    expect(await searchIds(location, { assignedTo: 'ownerB' })).toEqual([conversation.id]);

    await location.api.put('contacts:update-contact', `/contacts/${contact.id}`, { assignedTo: null });
    expect(await searchIds(location, { assignedTo: 'unassigned' })).toEqual([conversation.id]);
  });

  it('filters by followers and by mentions (any of a comma list, each conversation once)', async () => {
    const location = await freshLocation();
    const [a, b, c] = (await createConversations(location, 3)) as [string, string, string];
    await adminPatch(harness, location, a, { followers: ['f1', 'f2'], mentions: ['m1'] });
    await adminPatch(harness, location, b, { followers: ['f2'], mentions: ['m1', 'm2'] });

    expect(await searchIds(location, { followers: 'f1' })).toEqual([a]);
    expect(sorted(await searchIds(location, { followers: 'f2' }))).toEqual(sorted([a, b]));
    expect(sorted(await searchIds(location, { followers: 'f1,f2' }))).toEqual(sorted([a, b]));
    expect(await searchIds(location, { followers: 'f9' })).toEqual([]);
    expect(await searchIds(location, { mentions: 'm2' })).toEqual([b]);
    expect(sorted(await searchIds(location, { mentions: 'm1,m2' }))).toEqual(sorted([a, b]));
    expect(await searchIds(location, { followers: 'f1', mentions: 'm2' })).toEqual([]);
    expect((await search(location, { mentions: 'm1,m2' })).body.total).toBe(2);

    const item = (await search(location, { id: a })).body.conversations[0];
    expect(item).toMatchObject({ followers: ['f1', 'f2'], mentions: ['m1'] });
    expect((await search(location, { id: c })).body.conversations[0]).toMatchObject({ followers: [], mentions: [] });
  });

  it('filters by last message type, action and direction (none yet: no messages), refusing unknown values', async () => {
    const location = await freshLocation();
    const [id] = await createConversations(location, 2);
    for (const query of [
      { lastMessageType: 'TYPE_SMS' },
      { lastMessageAction: 'manual' },
      { lastMessageDirection: 'inbound' },
    ]) {
      expect(await searchIds(location, query)).toEqual([]);
    }
    for (const query of [
      { lastMessageType: 'TYPE_NOPE' },
      { lastMessageAction: 'x' },
      { lastMessageDirection: 'up' },
    ]) {
      const response = await search(location, query);
      expect(response.status).toBe(422);
    }
    // Once a conversation has a last message, each filter reads its own column.
    await harness.server.store.db
      .updateTable('conversations')
      .set({ last_message_type: 'TYPE_SMS', last_outbound_action: 'manual', last_message_direction: 'inbound' })
      .where('id', '=', id as string)
      .execute();
    expect(await searchIds(location, { lastMessageType: 'TYPE_SMS' })).toEqual([id]);
    expect(await searchIds(location, { lastMessageType: 'TYPE_EMAIL' })).toEqual([]);
    expect(await searchIds(location, { lastMessageAction: 'manual' })).toEqual([id]);
    expect(await searchIds(location, { lastMessageAction: 'automated' })).toEqual([]);
    expect(await searchIds(location, { lastMessageDirection: 'inbound' })).toEqual([id]);
    expect(await searchIds(location, { lastMessageDirection: 'outbound' })).toEqual([]);
  });

  it('filters by status: all, read, unread, starred and recents', async () => {
    const location = await freshLocation();
    const [plain, unread, starred, both] = (await createConversations(location, 4)) as string[];
    const put = (id: string, body: Record<string, unknown>) =>
      location.api.put('conversations:update-conversation', `/conversations/${id}`, {
        locationId: location.locationId,
        ...body,
      });
    await put(unread as string, { unreadCount: 2 });
    await put(starred as string, { starred: true });
    await put(both as string, { unreadCount: 1, starred: true });

    const all = sorted([plain, unread, starred, both] as string[]);
    expect(sorted(await searchIds(location))).toEqual(all);
    expect(sorted(await searchIds(location, { status: 'all' }))).toEqual(all);
    expect(sorted(await searchIds(location, { status: 'recents' }))).toEqual(all);
    expect(sorted(await searchIds(location, { status: 'unread' }))).toEqual(sorted([unread, both] as string[]));
    expect(sorted(await searchIds(location, { status: 'read' }))).toEqual(sorted([plain, starred] as string[]));
    expect(sorted(await searchIds(location, { status: 'starred' }))).toEqual(sorted([starred, both] as string[]));
    expect((await search(location, { status: 'bogus' })).status).toBe(422);

    await put(unread as string, { unreadCount: 0 });
    expect(await searchIds(location, { status: 'unread' })).toEqual([both]);
  });

  it('filters dateAdded by startDate and endDate (epoch ms, both ends inclusive)', async () => {
    const location = await freshLocation();
    const ids: string[] = [];
    for (const offset of [0, 1000, 2000]) {
      clock.at = T0 + offset;
      ids.push((await createConversation(location)).id);
    }
    const [early, middle, late] = ids as [string, string, string];
    expect(sorted(await searchIds(location, { startDate: T0 + 1000 }))).toEqual(sorted([middle, late]));
    expect(sorted(await searchIds(location, { endDate: T0 + 1000 }))).toEqual(sorted([early, middle]));
    expect(await searchIds(location, { startDate: T0 + 1000, endDate: T0 + 1000 })).toEqual([middle]);
    expect(await searchIds(location, { startDate: T0 + 1, endDate: T0 + 999 })).toEqual([]);
    expect(await searchIds(location, { startDate: T0 + 2000, endDate: T0 })).toEqual([]);
    const item = (await search(location, { id: middle })).body.conversations[0];
    expect(item?.dateAdded).toBe(T0 + 1000);
  });

  it('filters by a score profile with optional min and max (inclusive, fractional)', async () => {
    const location = await freshLocation();
    const [low, mid, high, otherProfile] = (await createConversations(location, 5)) as string[];
    await adminPatch(harness, location, low as string, { scores: { p1: 10 } });
    await adminPatch(harness, location, mid as string, { scores: { p1: 20.25, p2: 1 } });
    await adminPatch(harness, location, high as string, { scores: { p1: 30.5 } });
    await adminPatch(harness, location, otherProfile as string, { scores: { p2: 99 } });

    expect(sorted(await searchIds(location, { scoreProfile: 'p1' }))).toEqual(sorted([low, mid, high] as string[]));
    expect(sorted(await searchIds(location, { scoreProfile: 'p1', scoreProfileMin: 20.25 }))).toEqual(
      sorted([mid, high] as string[]),
    );
    expect(sorted(await searchIds(location, { scoreProfile: 'p1', scoreProfileMax: 20.25 }))).toEqual(
      sorted([low, mid] as string[]),
    );
    expect(await searchIds(location, { scoreProfile: 'p1', scoreProfileMin: 10.5, scoreProfileMax: 30 })).toEqual([
      mid,
    ]);
    expect(await searchIds(location, { scoreProfile: 'p1', scoreProfileMin: 31 })).toEqual([]);
    expect(await searchIds(location, { scoreProfile: 'p3' })).toEqual([]);
    expect(sorted(await searchIds(location, { scoreProfile: 'p2', scoreProfileMin: -5 }))).toEqual(
      sorted([mid, otherProfile] as string[]),
    );
    const orphanMin = await search(location, { scoreProfileMin: 1 });
    expect(orphanMin.status).toBe(422);
  });

  it('answers at most `limit` items (default 20, max 100) with the full match count as total', async () => {
    const location = await freshLocation();
    const ids = await createConversations(location, 105);
    const byDefault = await search(location);
    expect(byDefault.body.conversations).toHaveLength(20);
    expect(byDefault.body.total).toBe(105);
    const five = await search(location, { limit: 5 });
    expect(five.body.conversations).toHaveLength(5);
    expect(five.body.total).toBe(105);
    const max = await search(location, { limit: 100 });
    expect(max.body.conversations).toHaveLength(100);
    expect(max.body.total).toBe(105);
    for (const limit of [101, 0, -1, 1000000]) {
      const response = await search(location, { limit });
      expect(response.status, `limit=${limit}`).toBe(422);
    }
    // total counts what the filters match, not the page
    await adminPatch(harness, location, ids[0] as string, { assignedTo: 'solo' });
    const filtered = await search(location, { assignedTo: 'unassigned', limit: 1 });
    expect(filtered.body.conversations).toHaveLength(1);
    expect(filtered.body.total).toBe(104);
  });

  it('combines filters with AND', async () => {
    const location = await freshLocation();
    const target = await conversationFor(location, { firstName: 'Combo', lastName: 'Match' });
    const decoy = await conversationFor(location, { firstName: 'Combo', lastName: 'Decoy' });
    await adminPatch(harness, location, target, { assignedTo: 'u1', followers: ['f1'] });
    await adminPatch(harness, location, decoy, { assignedTo: 'u1' });
    expect(await searchIds(location, { query: 'combo', assignedTo: 'u1', followers: 'f1' })).toEqual([target]);
    const both = await search(location, { query: 'combo', assignedTo: 'u1' });
    expect(both.body.total).toBe(2);
  });
});
