// The lookups integrations make before anything else (a contact by phone through GET /contacts/?query=, by email
// through either search), and the duplicate probe every create, upsert and inbound message makes, are one probe of
// the phone or email index on both engines, whatever the location's size: the queries the repositories build are
// EXPLAINed over seeded locations, the planners left to choose (SQLite without statistics, as in production). A page
// deep in the list seeks its place in the date index.
import { type CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advancedSearch, type ContactSearch, listSearch } from '../../src/domain/contact-search.js';
import { contactSearchQueries } from '../../src/store/repositories/contact-search.js';
import { oldestContactQuery } from '../../src/store/repositories/contacts.js';
import { ENGINES, type EngineName } from '../helpers/engines.js';
import { createLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { explain, type PlanNode } from '../helpers/query-plans.js';
import { T0 } from '../helpers/search-support.js';

const PER_LOCATION = 3000;
const phoneOf = (tag: number, i: number) => `+1555${tag}${String(i).padStart(6, '0')}`;
const emailOf = (tag: number, i: number) => `person${i}.${tag}@example.com`;

/** Two locations of contacts, each with its own phone and email, written straight into the table. */
async function seed(harness: Harness): Promise<string> {
  const { db } = harness.server.store;
  const target = (await createLocation(harness)).locationId;
  const other = (await createLocation(harness)).locationId;
  for (const [tag, locationId] of [
    [1, target],
    [2, other],
  ] as const) {
    for (let start = 0; start < PER_LOCATION; start += 500) {
      const values = Array.from({ length: 500 }, (_, k) => {
        const i = start + k;
        return {
          id: `c-${tag}-${i}`,
          location_id: locationId,
          first_name: 'Pat',
          last_name: `Doe${i}`,
          full_name: `Pat Doe${i}`,
          email: emailOf(tag, i),
          email_lower: emailOf(tag, i),
          phone: phoneOf(tag, i),
          company_name: null,
          assigned_to: null,
          tags: '[]',
          dnd: 0,
          attributes: '{}',
          date_added: T0 + i,
          date_updated: T0 + i,
        };
      });
      await db.insertInto('contacts').values(values).execute();
    }
  }
  // PostgreSQL plans from statistics (autovacuum would gather them); SQLite's default has none, as in production.
  if (harness.engine === 'postgres') await sql`ANALYZE contacts`.execute(db);
  return target;
}

describe.each(ENGINES)('contact lookup query plans on %s', (engine: EngineName) => {
  let harness: Harness;
  let locationId: string;

  beforeAll(async () => {
    harness = await startHarness(engine);
    locationId = await seed(harness);
  }, 120_000);
  afterAll(() => harness?.close());

  /** The indexes a plan reads, whether it scans the contacts table whole, and whether it sorts rows itself. */
  async function plan(
    query: CompiledQuery,
  ): Promise<{ indexes: string[]; fullScan: boolean; sorted: boolean; text: string }> {
    const read = await explain(harness, query);
    if (engine === 'sqlite') {
      const lines = read as string[];
      return {
        indexes: lines.flatMap((line) => /USING (?:COVERING )?INDEX (\w+)/.exec(line)?.[1] ?? []),
        fullScan: lines.some((line) => /^SCAN contacts\b/.test(line)),
        sorted: lines.some((line) => line.includes('TEMP B-TREE')),
        text: lines.join(' | '),
      };
    }
    const nodes = read as PlanNode[];
    return {
      indexes: nodes.flatMap((node) => node['Index Name'] ?? []),
      fullScan: nodes.some((node) => node['Node Type'] === 'Seq Scan'),
      sorted: nodes.some((node) => node['Node Type'] === 'Sort'),
      text: nodes
        .map((node) => `${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''}`)
        .join(' > '),
    };
  }

  const PHONE = 'contacts_location_phone';
  // PostgreSQL reads lowered emails through their byte-ordered twin (migration 0016), SQLite through 0001's index.
  const EMAIL = engine === 'postgres' ? /^contacts_location_email(_prefix)?$/ : /^contacts_location_email$/;

  const lookups: [string, () => ContactSearch, RegExp][] = [
    ['GET /contacts/?query=<phone>', () => listSearch({ locationId, query: phoneOf(1, 1234) }), new RegExp(PHONE)],
    [
      'GET /contacts/?query=<phone as typed>',
      () => listSearch({ locationId, query: '(555) 100-1234' }),
      new RegExp(PHONE),
    ],
    ['GET /contacts/?query=<email>', () => listSearch({ locationId, query: emailOf(1, 1234) }), EMAIL],
    [
      'POST /contacts/search email eq',
      () => advancedSearch({ locationId, filters: [{ field: 'email', operator: 'eq', value: emailOf(1, 1234) }] }),
      EMAIL,
    ],
    [
      'POST /contacts/search phone eq',
      () => advancedSearch({ locationId, filters: [{ field: 'phone', operator: 'eq', value: phoneOf(1, 1234) }] }),
      new RegExp(PHONE),
    ],
  ];

  it.each(lookups)('%s: the page and its count probe the index', async (_name, search, index) => {
    const { page, count } = contactSearchQueries(harness.server.store.db, engine, search());
    for (const [kind, query] of [
      ['page', page],
      ['count', count],
    ] as const) {
      const read = await plan(query.compile());
      expect(read.fullScan, `${kind}: ${read.text}`).toBe(false);
      expect(
        read.indexes.some((name) => index.test(name)),
        `${kind}: ${read.text}`,
      ).toBe(true);
    }
  });

  it.each([
    ['phone', phoneOf(1, 1234), new RegExp(PHONE)],
    ['email_lower', emailOf(1, 1234), EMAIL],
    ['phone', phoneOf(1, PER_LOCATION + 1), new RegExp(PHONE)],
  ] as const)('the duplicate probe on %s %s reads the index', async (column, value, index) => {
    const query = oldestContactQuery(harness.server.store.db, locationId, column, value);
    const read = await plan(query.compile());
    expect(read.fullScan, read.text).toBe(false);
    expect(
      read.indexes.some((name) => index.test(name)),
      read.text,
    ).toBe(true);
  });

  it('seeks a page past a contact (GET /contacts/ startAfter) in the date index, rather than filtering to it', async () => {
    const search = listSearch({ locationId, startAfter: T0 + 1000, startAfterId: 'c-1-1000' });
    const { page } = contactSearchQueries(harness.server.store.db, engine, search);
    const read = await explain(harness, page.compile());
    const seek =
      engine === 'sqlite'
        ? (read as string[]).some((line) =>
            line.includes('USING INDEX contacts_location_added (location_id=? AND (date_added,id)<(?,?))'),
          )
        : (read as PlanNode[]).some(
            (node) =>
              node['Index Name'] === 'contacts_location_added' &&
              /ROW\(date_added, id\) </.test(node['Index Cond'] ?? ''),
          );
    expect(seek, JSON.stringify(read)).toBe(true);
    const rows = await page.execute();
    expect(rows.map((row) => row.id).slice(0, 3)).toEqual(['c-1-999', 'c-1-998', 'c-1-997']);
  });

  // Every order the newer search sorts by is an index's order (migration 0038): page 1 and a page past a contact read
  // the index in order, with no sort of the location's contacts.
  const sorts = [
    ['dateUpdated', 'desc', T0 + 1000, 'contacts_location_updated'],
    ['firstNameLowerCase', 'asc', 'pat', 'contacts_location_first_name_order'],
    ['lastNameLowerCase', 'asc', 'doe1000', 'contacts_location_last_name_order'],
    ['email', 'asc', emailOf(1, 1000), 'contacts_location_email_order'],
  ] as const;
  it.each(sorts)('sorts by %s %s in its index, page 1 and past a contact', async (field, direction, value, index) => {
    for (const searchAfter of [undefined, [value, 'c-1-1000']]) {
      const search = advancedSearch({
        locationId,
        sort: [{ field, direction }],
        ...(searchAfter ? { searchAfter } : {}),
      });
      const { page } = contactSearchQueries(harness.server.store.db, engine, search);
      const read = await plan(page.compile());
      expect(read.sorted, read.text).toBe(false);
      expect(read.indexes, read.text).toContain(index);
      expect((await page.execute()).length).toBe(20);
    }
  });

  it('answers the one contact the phone as typed belongs to', async () => {
    const { page } = contactSearchQueries(
      harness.server.store.db,
      engine,
      listSearch({ locationId, query: '(555) 100-1234' }),
    );
    expect((await page.execute()).map((row) => row.id)).toEqual(['c-1-1234']);
  });
});
