// Every search path is served by an index, on both engines: the page and count queries the repository builds are
// EXPLAINed over a seeded location. SQLite: no full scan of a table (a SEARCH on an index, the rowid or the FTS
// table); PostgreSQL (enable_seqscan off, as the brief for index proofs allows): no Seq Scan. Ordered paths also
// read their first page in index order (no sort), and a cursor page seeks straight to (sort value, seq).
import { type CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSearch, type SearchParams } from '../../src/domain/conversation-search.js';
import { searchQueries } from '../../src/store/repositories/conversation-search.js';
import { ENGINES, type EngineName } from '../helpers/engines.js';
import { createLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { explain as explainQuery, type PlanNode } from '../helpers/query-plans.js';
import { T0 } from '../helpers/search-support.js';

const PER_LOCATION = 2000;
const TYPES = ['TYPE_SMS', 'TYPE_EMAIL', 'TYPE_CALL'];

interface SearchPath {
  name: string;
  params: Partial<SearchParams>;
  /** The first page comes straight off an index in the requested order, and a cursor seeks (value, seq). */
  ordered: boolean;
  /** A cursor in this sort's domain. */
  cursor: [number, number];
}

const DATE_CURSOR: [number, number] = [T0 + 350, 1000];
const PATHS: SearchPath[] = [
  { name: 'everything, newest first', params: {}, ordered: true, cursor: DATE_CURSOR },
  { name: 'everything, oldest first', params: { sort: 'asc' }, ordered: true, cursor: DATE_CURSOR },
  { name: 'recents', params: { status: 'recents' }, ordered: true, cursor: DATE_CURSOR },
  { name: 'manual message date', params: { sortBy: 'last_manual_message_date' }, ordered: true, cursor: DATE_CURSOR },
  { name: 'contactId', params: { contactId: 'k-L-10' }, ordered: false, cursor: DATE_CURSOR },
  { name: 'id', params: { id: 'L-10' }, ordered: false, cursor: DATE_CURSOR },
  { name: 'assignedTo one user', params: { assignedTo: 'u1' }, ordered: true, cursor: DATE_CURSOR },
  { name: 'assignedTo unassigned', params: { assignedTo: 'unassigned' }, ordered: true, cursor: DATE_CURSOR },
  { name: 'assignedTo several users', params: { assignedTo: 'u1,u2,u3' }, ordered: false, cursor: DATE_CURSOR },
  {
    name: 'assignedTo user or unassigned',
    params: { assignedTo: 'u1,unassigned' },
    ordered: false,
    cursor: DATE_CURSOR,
  },
  { name: 'followers', params: { followers: 'u1,u2' }, ordered: false, cursor: DATE_CURSOR },
  { name: 'mentions', params: { mentions: 'u3' }, ordered: false, cursor: DATE_CURSOR },
  { name: 'text', params: { query: 'b1234' }, ordered: false, cursor: DATE_CURSOR },
  { name: 'short text', params: { query: 'b1' }, ordered: false, cursor: DATE_CURSOR },
  { name: 'lastMessageType', params: { lastMessageType: 'TYPE_SMS' }, ordered: true, cursor: DATE_CURSOR },
  { name: 'lastMessageAction', params: { lastMessageAction: 'manual' }, ordered: true, cursor: DATE_CURSOR },
  { name: 'lastMessageDirection', params: { lastMessageDirection: 'inbound' }, ordered: true, cursor: DATE_CURSOR },
  { name: 'unread', params: { status: 'unread' }, ordered: true, cursor: DATE_CURSOR },
  { name: 'read', params: { status: 'read' }, ordered: true, cursor: DATE_CURSOR },
  { name: 'starred', params: { status: 'starred' }, ordered: true, cursor: DATE_CURSOR },
  { name: 'due date', params: { sortBy: 'due_at' }, ordered: true, cursor: [T0 + 900, 1000] },
  { name: 'overdue', params: { sortBy: 'overdue_at' }, ordered: true, cursor: [T0 + 900, 1000] },
  {
    name: 'score profile sort',
    params: { sortBy: 'score_profile', sortScoreProfile: 'p1' },
    ordered: true,
    cursor: [50, 1000],
  },
  {
    name: 'score profile range',
    params: { scoreProfile: 'p1', scoreProfileMin: 10, scoreProfileMax: 20 },
    ordered: false,
    cursor: DATE_CURSOR,
  },
  { name: 'dateAdded range', params: { startDate: T0 + 100, endDate: T0 + 200 }, ordered: false, cursor: DATE_CURSOR },
];

const TABLES = /^(c|s|conversations|conversation_followers|conversation_mentions|conversation_scores)$/;

/** Seeds two locations straight into the tables: enough rows for the planners to prefer indexes honestly. */
async function seed(harness: Harness): Promise<string> {
  const { db } = harness.server.store;
  const target = (await createLocation(harness)).locationId;
  const other = (await createLocation(harness)).locationId;
  for (const [tag, locationId] of [
    ['L', target],
    ['M', other],
  ] as const) {
    for (let start = 0; start < PER_LOCATION; start += 500) {
      const n = Array.from({ length: 500 }, (_, i) => start + i);
      await db
        .insertInto('contacts')
        .values(
          n.map((i) => ({
            id: `k-${tag}-${i}`,
            location_id: locationId,
            first_name: 'A',
            last_name: `B${i}`,
            full_name: `A B${i}`,
            email: `x${i}@e.test`,
            email_lower: `x${i}@e.test`,
            phone: null,
            company_name: null,
            assigned_to: null,
            tags: '[]',
            dnd: 0,
            attributes: '{}',
            date_added: T0 + i,
            date_updated: T0 + i,
          })),
        )
        .execute();
      const rows = await db
        .insertInto('conversations')
        .values(
          n.map((i) => ({
            id: `${tag}-${i}`,
            location_id: locationId,
            contact_id: `k-${tag}-${i}`,
            type: 1,
            assigned_to: i % 6 === 0 ? null : `u${i % 6}`,
            unread_count: i % 4 === 0 ? 2 : 0,
            starred: i % 10 === 0 ? 1 : 0,
            inbox: 1,
            feedback: null,
            last_message_body: null,
            last_message_type: TYPES[i % 3] as string,
            last_message_direction: i % 2 ? 'inbound' : 'outbound',
            last_outbound_action: i % 2 ? 'manual' : 'automated',
            last_message_provider_id: null,
            // Plenty of ties: 700 distinct values for 2,000 conversations.
            last_message_at: T0 + (i % 700),
            last_manual_message_at: T0 + (i % 500),
            due_at: i % 3 === 0 ? T0 + i : null,
            search_text: `a b${i} x${i}@e.test`,
            date_added: T0 + i,
            date_updated: T0 + i,
          })),
        )
        .returning(['id', 'seq'])
        .execute();
      const members = rows
        .filter((_, i) => i % 7 === 0)
        .map((row, i) => ({ location_id: locationId, conversation_id: row.id, user_id: `u${i % 5}` }));
      await db.insertInto('conversation_followers').values(members).execute();
      await db.insertInto('conversation_mentions').values(members).execute();
      await db
        .insertInto('conversation_scores')
        .values(
          rows.map((row, i) => ({
            location_id: locationId,
            conversation_id: row.id,
            conversation_seq: row.seq,
            profile_id: `p${i % 3}`,
            score: i % 100,
          })),
        )
        .execute();
    }
  }
  // PostgreSQL plans from statistics (autovacuum would gather them); SQLite's default has none, as in production.
  if (harness.engine === 'postgres') await sql`ANALYZE`.execute(db);
  return target;
}

describe.each(ENGINES)('conversation search query plans on %s', (engine: EngineName) => {
  let harness: Harness;
  let locationId: string;

  beforeAll(async () => {
    harness = await startHarness(engine);
    locationId = await seed(harness);
  }, 120_000);
  afterAll(() => harness?.close());

  const explain = (query: CompiledQuery) => explainQuery(harness, query, { seqscan: false });

  function queriesFor(path: SearchPath, withCursor: boolean) {
    const params = { locationId, ...path.params, ...(withCursor ? { startAfterDate: path.cursor } : {}) };
    return searchQueries(harness.server.store.db, engine, buildSearch(params as SearchParams, T0 + 1000));
  }

  function expectIndexed(plan: string[] | PlanNode[], label: string) {
    if (engine === 'sqlite') {
      const lines = plan as string[];
      const scans = lines.filter((line) => {
        const [verb, object] = line.split(' ');
        return verb === 'SCAN' && TABLES.test(object ?? '');
      });
      expect(scans, `${label}\n${lines.join('\n')}`).toEqual([]);
      expect(
        lines.some((line) => /^SEARCH |VIRTUAL TABLE INDEX/.test(line)),
        label,
      ).toBe(true);
    } else {
      const nodes = plan as PlanNode[];
      const seq = nodes.filter((node) => node['Node Type'] === 'Seq Scan');
      expect(seq, `${label}\n${JSON.stringify(nodes, null, 1)}`).toEqual([]);
      expect(
        nodes.some((node) => node['Index Name']),
        label,
      ).toBe(true);
    }
  }

  function describePlan(plan: string[] | PlanNode[]): string {
    if (engine === 'sqlite') return (plan as string[]).join(' | ');
    return (plan as PlanNode[])
      .filter((node) => node['Node Type'] !== 'Limit')
      .map((node) => `${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''}`)
      .join(' > ');
  }

  it.each(PATHS)('$name: page, cursor page and count use an index', async (path) => {
    const first = queriesFor(path, false);
    const next = queriesFor(path, true);
    const plans = {
      page: await explain(first.page.compile()),
      cursor: await explain(next.page.compile()),
      count: await explain(first.count.compile()),
    };
    for (const [kind, plan] of Object.entries(plans)) expectIndexed(plan, `${path.name} ${kind}`);
    // Printed so the plans can be read in the test log.
    console.info(
      `[${engine}] ${path.name}\n  page:   ${describePlan(plans.page)}\n  cursor: ${describePlan(plans.cursor)}`,
    );

    if (!path.ordered) return;
    if (engine === 'sqlite') {
      const page = plans.page as string[];
      expect(
        page.filter((line) => line.includes('TEMP B-TREE')),
        page.join('\n'),
      ).toEqual([]);
      const cursor = (plans.cursor as string[]).join('\n');
      // (value, seq) as an index range: two exact seeks when seq is the rowid, a row-value seek otherwise.
      expect(cursor).toMatch(/=\? AND seq[<>]\?\)|\(score,conversation_seq\)[<>]\(\?,\?\)/);
    } else {
      const page = plans.page as PlanNode[];
      expect(
        page.filter((node) => /Sort/.test(node['Node Type'])),
        describePlan(page),
      ).toEqual([]);
      const cursor = plans.cursor as PlanNode[];
      expect(
        cursor.some((node) => node['Index Cond']?.includes('ROW(')),
        JSON.stringify(cursor, null, 1),
      ).toBe(true);
    }
  });

  it('uses the full-text index for text of three characters or more', async () => {
    const { page, count } = queriesFor(
      { name: 'text', params: { query: 'x1234@' }, ordered: false, cursor: DATE_CURSOR },
      false,
    );
    for (const query of [page, count]) {
      const plan = await explain(query.compile());
      if (engine === 'sqlite') expect((plan as string[]).join('\n')).toContain('conversations_fts VIRTUAL TABLE');
      console.info(`[${engine}] text x1234@: ${describePlan(plan)}`);
    }
  });
});
