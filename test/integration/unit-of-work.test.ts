// The unit of work: one transaction per unit, the root handle refused inside it (an error, never a hang), effects
// only after a durable commit, and a unique violation's retry as an option of the unit.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NestedUnit, RootHandleInUnit } from '../../src/store/unit-of-work.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms)),
  ]);

describe.each(ENGINES)('unit of work on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  beforeAll(async () => {
    harness = await startHarness(engine, { env: { WORKER_ENABLED: 'false' } });
    location = await createLocation(harness);
  });
  afterAll(() => harness?.close());

  const store = () => harness.server.store;
  const locationName = async () =>
    (
      await store()
        .db.selectFrom('locations')
        .select('name')
        .where('id', '=', location.locationId)
        .executeTakeFirstOrThrow()
    ).name;

  it('refuses the root handle inside a unit with a clear error instead of hanging, and rolls the unit back', async () => {
    const before = await locationName();
    const unit = store().unit(async ({ db }) => {
      await db
        .updateTable('locations')
        .set({ name: 'renamed in the unit' })
        .where('id', '=', location.locationId)
        .execute();
      // The mistake: the root handle, not the unit's.
      await store().db.selectFrom('locations').selectAll().execute();
    });
    await expect(within(unit, 5000)).rejects.toBeInstanceOf(RootHandleInUnit);
    await expect(unit).rejects.toThrow(/tx\.db/);
    expect(await locationName()).toBe(before);
  });

  it('refuses a unit opened inside another', async () => {
    const unit = store().unit(async () => store().unit(async () => 1));
    await expect(within(unit, 5000)).rejects.toBeInstanceOf(NestedUnit);
  });

  it('runs after-commit effects once the unit is durable, once each, and never for a unit that rolls back', async () => {
    const ran: string[] = [];
    const effect = () => ran.push('committed');
    const value = await store().unit(async ({ db, afterCommit }) => {
      afterCommit(effect);
      afterCommit(effect);
      await db.updateTable('locations').set({ name: 'kept' }).where('id', '=', location.locationId).execute();
      // Not yet: the unit has not committed.
      expect(ran).toEqual([]);
      return 42;
    });
    expect(value).toBe(42);
    expect(ran).toEqual(['committed']);
    expect(await locationName()).toBe('kept');

    await expect(
      store().unit(async ({ db, afterCommit }) => {
        afterCommit(() => ran.push('rolled back'));
        await db.updateTable('locations').set({ name: 'lost' }).where('id', '=', location.locationId).execute();
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(ran).toEqual(['committed']);
    expect(await locationName()).toBe('kept');
  });

  it.runIf(engine === 'postgres')('runs a deadlock victim again instead of failing it', async () => {
    const [a, b] = [await createLocation(harness), await createLocation(harness)];
    let holding = 0;
    let bothHold!: () => void;
    const held = new Promise<void>((resolve) => {
      bothHold = resolve;
    });
    // Two units take the same two rows in opposite orders, each waiting until the other holds its first row.
    const lockBoth = (first: string, second: string) => {
      let attempts = 0;
      return store().unit(async ({ db }) => {
        attempts += 1;
        const touch = (id: string) =>
          db.updateTable('locations').set({ name: sql`name` }).where('id', '=', id).execute();
        await touch(first);
        if (attempts === 1 && ++holding === 2) bothHold();
        if (attempts === 1) await held;
        await touch(second);
        return attempts;
      });
    };
    const attempts = await Promise.all([lockBoth(a.locationId, b.locationId), lockBoth(b.locationId, a.locationId)]);
    // PostgreSQL chose one as the deadlock's victim; it ran again and succeeded.
    expect(attempts.sort()).toEqual([1, 2]);
  });

  it.runIf(engine === 'postgres')('runs a unit again when a row it refers to was deleted meanwhile', async () => {
    // Found by the fuzzer: a conversation created while its contact was deleted was a 500 (a foreign key violation).
    const created = await location.api.post(null, '/conversations/', {
      locationId: location.locationId,
      contactId: (await createContact(location)).id,
    });
    const conversationId = created.body.conversation.id as string;
    let attempts = 0;
    const outcome = await store().unit(async ({ db }) => {
      attempts += 1;
      const found = await db
        .selectFrom('conversations')
        .select('id')
        .where('id', '=', conversationId)
        .executeTakeFirst();
      if (!found) return 'the conversation is gone';
      // Another request deletes it after this unit read it and before it refers to it.
      if (attempts === 1)
        expect((await location.api.delete(null, `/conversations/${conversationId}`)).status).toBe(200);
      await db
        .insertInto('conversation_followers')
        .values({ location_id: location.locationId, conversation_id: conversationId, user_id: 'u1' })
        .execute();
      return 'followed';
    });
    expect([outcome, attempts]).toEqual(['the conversation is gone', 2]);
  });

  it('retries a unit once on a unique violation when asked, or answers what the option says', async () => {
    const id = `uow-${engine}-${Date.now()}`;
    const insertOnce =
      (attempts: number[]) =>
      async ({ db }: { db: typeof harness.server.store.db }) => {
        attempts.push(attempts.length + 1);
        const existing = await db.selectFrom('locations').select('id').where('id', '=', id).executeTakeFirst();
        // The first attempt loses a race it cannot see: another writer inserts the row first.
        if (attempts.length === 1) {
          await sql`insert into locations (id, name, company_id, created_at) values (${id}, 'winner', null, 0)`.execute(
            db,
          );
          await sql`insert into locations (id, name, company_id, created_at) values (${id}, 'loser', null, 0)`.execute(
            db,
          );
        }
        return existing ? 'saw a row' : `attempt ${attempts.length}`;
      };
    const retried: number[] = [];
    expect(await store().unit(insertOnce(retried), { onUniqueViolation: 'retry' })).toBe('attempt 2');
    expect(retried).toEqual([1, 2]);

    const answered: number[] = [];
    expect(await store().unit(insertOnce(answered), { onUniqueViolation: () => 'answered instead' })).toBe(
      'answered instead',
    );
    expect(answered).toEqual([1]);

    await expect(store().unit(insertOnce([]))).rejects.toMatchObject({ code: expect.anything() });
  });
});
