// Exact counts remembered while the data is unchanged (src/store/count-cache.ts): a write retires them, the request
// journal's own rows (one per API call) do not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedCount } from '../../src/store/count-cache.js';
import { insertJournalRows, pruneJournalBeyond } from '../../src/store/repositories/request-journal.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { journalRow } from '../helpers/journal.js';

describe.each(ENGINES)('remembered counts (%s)', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  beforeAll(async () => {
    harness = await startHarness(engine);
    location = await createLocation(harness);
  });
  afterAll(() => harness?.close());

  let calls = 0;
  const call = () => journalRow(location.locationId, `count-cache-${++calls}`);

  /** A count whose runs are counted, so a test sees whether it was answered from memory. */
  let counts = 0;
  function countedContacts() {
    let runs = 0;
    const key = `contacts of ${location.locationId} (${++counts})`;
    const count = () =>
      cachedCount(harness.server.store.db, key, async () => {
        runs += 1;
        const row = await harness.server.store.db
          .selectFrom('contacts')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('location_id', '=', location.locationId)
          .executeTakeFirstOrThrow();
        return Number(row.n);
      });
    return { count, runs: () => runs };
  }

  it('answers a count again from memory, and counts again once a row is written', async () => {
    const contacts = countedContacts();
    await createContact(location, { firstName: 'Counted' });
    expect(await contacts.count()).toBe(1);
    expect(await contacts.count()).toBe(1);
    expect(contacts.runs()).toBe(1);
    await createContact(location, { firstName: 'Another' });
    expect(await contacts.count()).toBe(2);
    expect(contacts.runs()).toBe(2);
  });

  it.runIf(engine === 'sqlite')(
    'keeps a count while only the request journal is written: every API call adds a row to it (SQLite)',
    async () => {
      const contacts = countedContacts();
      const before = await contacts.count();
      await harness.server.store.unit(async ({ db }) => {
        await insertJournalRows(db, [call(), call(), call()]);
        await pruneJournalBeyond(db, location.locationId, 1);
      });
      expect(await contacts.count()).toBe(before);
      expect(contacts.runs()).toBe(1);
      await createContact(location, { firstName: 'Later' });
      expect(await contacts.count()).toBe(before + 1);
      expect(contacts.runs()).toBe(2);
    },
  );
});
