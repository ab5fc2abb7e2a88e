// Migration 0037 (contacts counted per location) on contacts written by the schema before it: the kept count starts
// at the rows already there, per location, and follows inserts, deletes and a contact moved to another location.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.js';
import { foldCounts, locationCount } from '../../src/store/location-counts.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.js';

describe.each(ENGINES)('contact count migration from the previous schema on %s', (engine) => {
  let database: TestDatabase;
  let store: Store;

  const insert = (id: string, locationId: string) =>
    sql`insert into contacts (id, location_id, tags, dnd, attributes, date_added, date_updated)
      values (${id}, ${locationId}, '[]', 0, '{}', 1000, 1000)`.execute(store.db);
  const counts = async () => ({
    a: await locationCount(store.db, 'loc-a', 'contacts'),
    b: await locationCount(store.db, 'loc-b', 'contacts'),
  });

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    store = openStore(database.config, { backgroundCheckpoints: false });
    await migrateToLatest(store.db, engine, '0036_email_search_threads');
    for (const id of ['loc-a', 'loc-b']) {
      await sql`insert into locations (id, name, company_id, created_at) values (${id}, ${id}, null, 1)`.execute(
        store.db,
      );
    }
    for (let i = 0; i < 5; i++) await insert(`old-a-${i}`, 'loc-a');
    await insert('old-b-0', 'loc-b');
    await migrateToLatest(store.db, engine);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('counts the contacts already there, and follows inserts, deletes and moves', async () => {
    expect(await counts()).toEqual({ a: 5, b: 1 });
    await sql`insert into contacts (id, location_id, tags, dnd, attributes, date_added, date_updated)
      values ('new-a-0', 'loc-a', '[]', 0, '{}', 2000, 2000), ('new-b-0', 'loc-b', '[]', 0, '{}', 2000, 2000),
        ('new-b-1', 'loc-b', '[]', 0, '{}', 2000, 2000)`.execute(store.db);
    expect(await counts()).toEqual({ a: 6, b: 3 });
    await sql`delete from contacts where id in ('old-a-0', 'old-a-1', 'new-b-0')`.execute(store.db);
    expect(await counts()).toEqual({ a: 4, b: 2 });
    await sql`update contacts set location_id = 'loc-b' where id = 'old-a-2'`.execute(store.db);
    // An update that leaves the location alone counts nothing.
    await sql`update contacts set first_name = 'Ada' where location_id = 'loc-b'`.execute(store.db);
    expect(await counts()).toEqual({ a: 3, b: 3 });
    if (engine === 'postgres') {
      await foldCounts(store.db, 1);
      expect(await counts()).toEqual({ a: 3, b: 3 });
    }
  });
});
