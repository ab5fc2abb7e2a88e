// GET /conversations/search: sort orders and keyset paging through startAfterDate, with ties, every cursor
// spelling clients use, and writes landing between page fetches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import {
  adminPatch,
  type CursorStyle,
  createConversations,
  type SearchItem,
  SetClock,
  search,
  searchIds,
  T0,
  walk,
} from '../helpers/search-support.js';

const STYLES: CursorStyle[] = ['comma', 'repeated', 'axios'];

function expectEachOnce(items: SearchItem[], expected: string[]) {
  const ids = items.map((item) => item.id);
  expect(new Set(ids).size, 'no duplicates').toBe(ids.length);
  expect([...ids].sort()).toEqual([...expected].sort());
}

describe.each(ENGINES)('conversation search order and paging on %s', (engine) => {
  let harness: Harness;
  const clock = new SetClock();

  beforeAll(async () => {
    harness = await startHarness(engine, { clock });
  });
  afterAll(() => harness?.close());

  /** Conversations created at T0 + each offset, in that order. */
  async function createdAt(location: TestLocation, offsets: number[]): Promise<string[]> {
    const ids: string[] = [];
    for (const offset of offsets) {
      clock.at = T0 + offset;
      ids.push((await createConversation(location)).id);
    }
    clock.at = T0;
    return ids;
  }

  it('sorts by last message date, newest first by default, and answers the sort value to page from', async () => {
    const location = await createLocation(harness);
    const ids = await createdAt(location, [0, 3000, 1000, 2000]);
    const expectedAsc = [ids[0], ids[2], ids[3], ids[1]];
    expect(await searchIds(location)).toEqual([...expectedAsc].reverse());
    expect(await searchIds(location, { sort: 'desc', sortBy: 'last_message_date' })).toEqual(
      [...expectedAsc].reverse(),
    );
    expect(await searchIds(location, { sort: 'asc' })).toEqual(expectedAsc);
    const items = (await search(location, { sort: 'asc' })).body.conversations;
    for (const item of items) {
      expect(item.sort).toHaveLength(2);
      expect(item.sort[0]).toBe(item.lastMessageDate);
      expect(Number.isSafeInteger(item.sort[1])).toBe(true);
    }
  });

  it('sorts by last manual message date when asked', async () => {
    const location = await createLocation(harness);
    const [a, b, c] = (await createdAt(location, [0, 1000, 2000])) as [string, string, string];
    // No messages exist yet to move it, so the column is set directly: the reverse of creation order.
    const manual: Record<string, number> = { [a]: T0 + 9000, [b]: T0 + 8000, [c]: T0 + 7000 };
    for (const [id, at] of Object.entries(manual)) {
      await harness.server.store.db
        .updateTable('conversations')
        .set({ last_manual_message_at: at })
        .where('id', '=', id)
        .execute();
    }
    const items = (await search(location, { sortBy: 'last_manual_message_date', sort: 'asc' })).body.conversations;
    expect(items.map((item) => item.id)).toEqual([c, b, a]);
    expect(items.map((item) => item.sort[0])).toEqual([T0 + 7000, T0 + 8000, T0 + 9000]);
    expect(items.map((item) => item.lastManualMessageDate)).toEqual([T0 + 7000, T0 + 8000, T0 + 9000]);
    expect(await searchIds(location, { sortBy: 'last_message_date', sort: 'asc' })).toEqual([a, b, c]);
  });

  it('sorts by due date, and by overdue (due before now) only', async () => {
    const location = await createLocation(harness);
    const [late, soon, past, none] = (await createConversations(location, 4)) as string[];
    await adminPatch(harness, location, late as string, { dueAt: T0 + 50_000 });
    await adminPatch(harness, location, soon as string, { dueAt: T0 + 10_000 });
    await adminPatch(harness, location, past as string, { dueAt: T0 - 10_000 });
    expect(none).toBeDefined();
    clock.at = T0 + 20_000;
    const due = (await search(location, { sortBy: 'due_at', sort: 'asc' })).body;
    expect(due.conversations.map((item) => item.id)).toEqual([past, soon, late]);
    expect(due.conversations.map((item) => item.sort[0])).toEqual([T0 - 10_000, T0 + 10_000, T0 + 50_000]);
    expect(due.total).toBe(3);
    expect(await searchIds(location, { sortBy: 'due_at' })).toEqual([late, soon, past]);
    expect(await searchIds(location, { sortBy: 'overdue_at', sort: 'asc' })).toEqual([past, soon]);
    clock.at = T0;
    expect(await searchIds(location, { sortBy: 'overdue_at' })).toEqual([past]);
  });

  it('sorts by a score profile, exactly as stored, scored conversations only', async () => {
    const location = await createLocation(harness);
    const [a, b, c, d] = (await createConversations(location, 5)) as string[];
    await adminPatch(harness, location, a as string, { scores: { p: 1234.5678 } });
    await adminPatch(harness, location, b as string, { scores: { p: 0.1, q: 5 } });
    await adminPatch(harness, location, c as string, { scores: { p: 1e-7 } });
    await adminPatch(harness, location, d as string, { scores: { q: 100 } });
    const items = (await search(location, { sortBy: 'score_profile', sortScoreProfile: 'p' })).body;
    expect(items.conversations.map((item) => item.id)).toEqual([a, b, c]);
    expect(items.conversations.map((item) => item.sort[0])).toEqual([1234.5678, 0.1, 1e-7]);
    expect(items.total).toBe(3);
    // The scoreProfile filter names the profile when sortScoreProfile is absent.
    expect(await searchIds(location, { sortBy: 'score_profile', scoreProfile: 'q', sort: 'asc' })).toEqual([b, d]);
    const missing = await search(location, { sortBy: 'score_profile' });
    expect(missing.status).toBe(422);
    // Each sort value pages on as the cursor, whatever its notation.
    for (const [index, item] of items.conversations.entries()) {
      const rest = await searchIds(location, {
        sortBy: 'score_profile',
        sortScoreProfile: 'p',
        startAfterDate: item.sort.map(String),
      });
      expect(rest).toEqual(items.conversations.slice(index + 1).map((next) => next.id));
    }
  });

  it.each(STYLES)('walks every page once through ties, cursor sent as %s', async (style) => {
    const location = await createLocation(harness);
    const before = await createdAt(location, [-2000, -1000]);
    clock.at = T0;
    const tied = await createConversations(location, 45);
    const after = await createdAt(location, [1000, 1000, 2000]);
    const all = [...before, ...tied, ...after];

    for (const sort of ['desc', 'asc'] as const) {
      const items = await walk(location, { limit: 7, sort }, style);
      expectEachOnce(items, all);
      const expected = sort === 'asc' ? all : [...all].reverse();
      expect(items.map((item) => item.id)).toEqual(expected);
    }
  });

  it('walks filtered and differently sorted searches through ties', async () => {
    const location = await createLocation(harness);
    const ids = await createConversations(location, 30);
    const assigned = ids.filter((_, i) => i % 3 !== 0);
    for (const id of assigned)
      await adminPatch(harness, location, id, { assignedTo: 'agent', dueAt: T0, scores: { p: 7 } });
    for (const [query, expected] of [
      [{ assignedTo: 'agent' }, assigned],
      [{ assignedTo: 'agent,unassigned' }, ids],
      [{ sortBy: 'due_at' }, assigned],
      [{ sortBy: 'score_profile', sortScoreProfile: 'p', sort: 'asc' }, assigned],
      [{ sortBy: 'last_manual_message_date', sort: 'asc' }, ids],
    ] as const) {
      const items = await walk(location, { ...query, limit: 4 }, 'comma');
      expectEachOnce(items, [...expected]);
    }
  });

  it('pages past a value with the one-number cursor, as production does', async () => {
    const location = await createLocation(harness);
    const ids = await createdAt(location, [0, 1000, 2000, 3000]);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = (await search(location, { limit: 1, ...(cursor ? { startAfterDate: cursor } : {}) })).body;
      const item = page.conversations[0];
      if (!item) break;
      seen.push(item.id);
      cursor = String(item.sort[0]);
    }
    expect(seen).toEqual([...ids].reverse());
    // Sent as a one-element array, it means the same.
    const single = await searchIds(location, { 'startAfterDate[]': String(T0 + 2000) });
    expect(single).toEqual([ids[1], ids[0]]);
  });

  it.each(['desc', 'asc'] as const)(
    'keeps existing conversations exactly once while others arrive (%s)',
    async (sort) => {
      const location = await createLocation(harness);
      clock.at = T0;
      const existing = await createConversations(location, 25);
      const arrivals: string[] = [];
      let round = 0;
      const items = await walk(location, { limit: 4, sort }, 'axios', async () => {
        // Newer, tied and older conversations land between the first page fetches (older ones are still ahead).
        round += 1;
        if (round > 5) return;
        for (const offset of [round * 1000, 0, -round * 1000]) {
          clock.at = T0 + offset;
          arrivals.push((await createConversation(location)).id);
        }
        clock.at = T0;
      });
      const ids = items.map((item) => item.id);
      expect(new Set(ids).size, 'no duplicates').toBe(ids.length);
      for (const id of existing)
        expect(
          ids.filter((seen) => seen === id),
          id,
        ).toHaveLength(1);
      for (const id of ids) expect([...existing, ...arrivals]).toContain(id);
      const expectedOrder = [...items].sort((x, y) =>
        sort === 'asc'
          ? x.sort[0] - y.sort[0] || x.sort[1] - y.sort[1]
          : y.sort[0] - x.sort[0] || y.sort[1] - x.sort[1],
      );
      expect(ids).toEqual(expectedOrder.map((item) => item.id));
    },
  );

  it('pages on when the last conversation of a page is deleted', async () => {
    const location = await createLocation(harness);
    clock.at = T0;
    const ids = await createConversations(location, 10);
    const first = (await search(location, { limit: 4 })).body.conversations;
    const last = first.at(-1) as SearchItem;
    const removed = await location.api.delete('conversations:delete-conversation', `/conversations/${last.id}`);
    expect(removed.status).toBe(200);
    const rest = await walk(location, { limit: 4, startAfterDate: last.sort.join(',') }, 'comma');
    expectEachOnce(
      [...first.slice(0, -1), ...rest],
      ids.filter((id) => id !== last.id),
    );
  });
});
