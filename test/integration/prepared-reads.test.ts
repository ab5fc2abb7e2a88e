// Prepared reads: built once per database handle, then run with each call's own parameters, constants kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../../src/store/executor.js';
import { preparedRead } from '../../src/store/prepared-reads.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';

describe.each(ENGINES)('preparedRead (%s)', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  beforeAll(async () => {
    harness = await startHarness(engine);
    location = await createLocation(harness);
  });
  afterAll(() => harness?.close());

  it('binds each call its own parameters around the constants of the query, building it once', async () => {
    let builds = 0;
    const contactsNamed = preparedRead((db: Executor, locationId: string, lastName: string) => {
      builds += 1;
      return db
        .selectFrom('contacts')
        .select(['id', 'last_name'])
        .where('location_id', '=', locationId)
        .where('first_name', '=', 'Prepared')
        .where('last_name', '=', lastName);
    });
    const ada = await createContact(location, { firstName: 'Prepared', lastName: 'Ada' });
    await createContact(location, { firstName: 'Other', lastName: 'Ada' });
    const bob = await createContact(location, { firstName: 'Prepared', lastName: 'Bob' });
    const db = harness.server.store.db;

    expect((await contactsNamed(db, location.locationId, 'Ada')).map((row) => row.id)).toEqual([ada.id]);
    expect((await contactsNamed(db, location.locationId, 'Bob')).map((row) => row.id)).toEqual([bob.id]);
    expect(await contactsNamed(db, 'another-location', 'Bob')).toEqual([]);
    expect(builds).toBe(1);
  });

  it('binds number parameters too, a LIMIT among them', async () => {
    const firstNamed = preparedRead((db: Executor, locationId: string, limit: number) =>
      db
        .selectFrom('contacts')
        .select('id')
        .where('location_id', '=', locationId)
        .where('first_name', '=', 'Prepared')
        .orderBy('id')
        .limit(limit),
    );
    const db = harness.server.store.db;
    expect(await firstNamed(db, location.locationId, 1)).toHaveLength(1);
    expect(await firstNamed(db, location.locationId, 2)).toHaveLength(2);
  });
});
