// Contact search as integrations call it first: the SDK's getContacts (GET /contacts/), the newer POST
// /contacts/search with filters, sort and both kinds of paging, the duplicate lookup, tags, and the location record.
import { randomUUID } from 'node:crypto';
import type { HighLevel } from '@gohighlevel/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createLocation, issueToken, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { expectSpec, highLevelClient, sdkError } from '../helpers/sdk.js';

const unique = () => randomUUID().slice(0, 8);

describe.each(ENGINES)('contact search on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  let other: TestLocation;
  let sdk: HighLevel;
  const tag = unique();
  const people: { id: string; email?: string; phone?: string; dateAdded?: string }[] = [];
  /** The order of the list: newest first, ties by id (descending too). */
  const newestFirst = () =>
    [...people]
      .sort((a, b) => String(b.dateAdded).localeCompare(String(a.dateAdded)) || (b.id < a.id ? -1 : 1))
      .map((p) => p.id);

  beforeAll(async () => {
    harness = await startHarness(engine);
    location = await createLocation(harness);
    other = await createLocation(harness);
    sdk = highLevelClient(harness.baseUrl, location.token);
    const rows = [
      { firstName: 'Zoë', lastName: `Abbott${tag}`, companyName: `Acme${tag}`, tags: ['vip', 'lead'] },
      { firstName: 'Ada', lastName: `Lovelace${tag}`, companyName: `Engines${tag}`, tags: ['lead'], dnd: true },
      { firstName: 'Alan', lastName: `Turing${tag}`, tags: [] },
      { firstName: 'Grace', lastName: `Hopper${tag}`, companyName: `Navy${tag}`, tags: ['VIP'] },
    ];
    for (const [index, row] of rows.entries()) {
      people.push(
        await createContact(location, {
          ...row,
          email: `${row.firstName.toLowerCase()}.${tag}@example.com`,
          phone: `+1555${tag.replace(/\D/g, '').padEnd(3, '0').slice(0, 3)}${String(index).padStart(4, '0')}`,
        }),
      );
    }
    // The other location holds a contact with the same email: never found from this one.
    await createContact(other, { firstName: 'Ada', email: `ada.${tag}@example.com` });
  });
  afterAll(() => harness?.close());

  const list = (query: Record<string, string | number>) =>
    location.api.get('contacts:get-contacts', '/contacts/', { query: { locationId: location.locationId, ...query } });
  const advanced = (body: Record<string, unknown>) =>
    location.api.post('contacts:search-contacts-advanced', '/contacts/search', {
      locationId: location.locationId,
      ...body,
    });

  it('finds a contact by phone or email through the SDK’s getContacts, in any way it is written', async () => {
    const ada = people[1] as { id: string; phone: string; email: string };
    for (const query of [ada.phone, ada.phone.slice(2), ada.email, ada.email.toUpperCase()]) {
      const found = expectSpec(
        'contacts:get-contacts',
        200,
        await sdk.contacts.getContacts({ locationId: location.locationId, query }),
      ) as { contacts: { id: string }[]; meta: { total: number } };
      expect(
        found.contacts.map((c) => c.id),
        query,
      ).toEqual([ada.id]);
      expect(found.meta.total).toBe(1);
    }
  });

  it('matches names, last names and companies by prefix, case-blind, newest first', async () => {
    const byLast = await list({ query: `lovelace${tag}` });
    expect(byLast.body.contacts.map((c: { id: string }) => c.id)).toEqual([people[1]?.id]);
    const byCompany = await list({ query: `NAVY${tag}` });
    expect(byCompany.body.contacts.map((c: { id: string }) => c.id)).toEqual([people[3]?.id]);
    const byFullName = await list({ query: `grace hopper${tag}` });
    expect(byFullName.body.contacts.map((c: { id: string }) => c.id)).toEqual([people[3]?.id]);
    const everyone = await list({ query: '' });
    expect(everyone.body.contacts.map((c: { id: string }) => c.id)).toEqual(newestFirst());
    expect(await list({ query: 'nobody-by-this-name' })).toMatchObject({ body: { contacts: [], meta: { total: 0 } } });
    // A name starting with a non-ASCII capital, found on both engines (whatever their lower() folds).
    const elodie = await createContact(location, { firstName: 'Élodie', lastName: `Zed${tag}` });
    const accented = await list({ query: `Élodie Zed${tag}` });
    expect(accented.body.contacts.map((c: { id: string }) => c.id)).toEqual([elodie.id]);
    await location.api.delete('contacts:delete-contact', `/contacts/${elodie.id}`);
  });

  it('pages GET /contacts/ on startAfter and startAfterId, with meta saying where the next page starts', async () => {
    const seen: string[] = [];
    let query: Record<string, string | number> = { limit: 3 };
    for (let page = 0; page < 5; page += 1) {
      const response = await list(query);
      expect(response.status).toBe(200);
      seen.push(...response.body.contacts.map((c: { id: string }) => c.id));
      const meta = response.body.meta;
      expect(meta.total).toBe(people.length);
      if (!meta.startAfterId) {
        expect(meta.nextPageUrl).toBeNull();
        break;
      }
      const next = new URL(meta.nextPageUrl);
      expect(next.searchParams.get('startAfterId')).toBe(meta.startAfterId);
      query = { limit: 3, startAfter: meta.startAfter, startAfterId: meta.startAfterId };
    }
    expect(seen).toEqual(newestFirst());
  });

  it('refuses bad paging with a 422 naming the field', async () => {
    for (const query of [{ limit: 0 }, { limit: 101 }, { startAfter: 5 }, { startAfterId: 'x' }]) {
      const response = await list(query as unknown as Record<string, number | string>);
      expect(response.status, JSON.stringify(query)).toBe(422);
      expect(response.body.message.join(' ')).toMatch(/limit|startAfter/);
    }
  });

  it('searches with filters, groups and sort (POST /contacts/search, through the SDK)', async () => {
    const body = {
      locationId: location.locationId,
      pageLimit: 10,
      filters: [
        { field: 'tags', operator: 'eq', value: 'vip' },
        {
          group: 'OR',
          filters: [
            { field: 'companyName', operator: 'contains', value: 'acme' },
            { field: 'dnd', operator: 'eq', value: true },
          ],
        },
      ],
      sort: [{ field: 'firstNameLowerCase', direction: 'asc' }],
    };
    const found = expectSpec(
      'contacts:search-contacts-advanced',
      200,
      await sdk.contacts.searchContactsAdvanced(body),
    ) as { contacts: { id: string; searchAfter: unknown[] }[]; total: number };
    expect(found.contacts.map((c) => c.id)).toEqual([people[0]?.id]);
    expect(found.total).toBe(1);

    const byEmail = await advanced({
      filters: [{ field: 'email', operator: 'eq', value: `GRACE.${tag}@example.com` }],
    });
    expect(byEmail.body.contacts.map((c: { id: string }) => c.id)).toEqual([people[3]?.id]);
    const byPhone = await advanced({ filters: [{ field: 'phone', operator: 'eq', value: people[2]?.phone }] });
    expect(byPhone.body.contacts.map((c: { id: string }) => c.id)).toEqual([people[2]?.id]);
    const untagged = await advanced({ filters: [{ field: 'tags', operator: 'not_exists' }] });
    expect(untagged.body.contacts.map((c: { id: string }) => c.id)).toEqual([people[2]?.id]);
    const recent = await advanced({
      filters: [{ field: 'dateAdded', operator: 'range', value: { gte: Date.now() - 3_600_000 } }],
      sort: [{ field: 'dateAdded', direction: 'asc' }],
    });
    expect(recent.body.contacts.map((c: { id: string }) => c.id)).toEqual(newestFirst().reverse());
  });

  it('pages the newer search by page and pageLimit, and by searchAfter, to the same order', async () => {
    const sort = [{ field: 'lastNameLowerCase', direction: 'desc' }];
    const whole = await advanced({ pageLimit: 10, sort });
    const expected = whole.body.contacts.map((c: { id: string }) => c.id);
    expect(expected).toHaveLength(people.length);
    const byPage: string[] = [];
    for (let page = 1; page <= 2; page += 1) {
      const response = await advanced({ page, pageLimit: 2, sort });
      byPage.push(...response.body.contacts.map((c: { id: string }) => c.id));
      expect(response.body.total).toBe(people.length);
    }
    expect(byPage).toEqual(expected);
    const byCursor: string[] = [];
    let searchAfter: unknown[] | undefined;
    for (let page = 0; page < 4; page += 1) {
      const response = await advanced({ pageLimit: 3, sort, ...(searchAfter ? { searchAfter } : {}) });
      const contacts = response.body.contacts as { id: string; searchAfter: unknown[] }[];
      byCursor.push(...contacts.map((c) => c.id));
      if (contacts.length < 3) break;
      searchAfter = contacts.at(-1)?.searchAfter;
    }
    expect(byCursor).toEqual(expected);
  });

  it('refuses unknown fields, operators and shapes with a 422 naming them', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ filters: [{ field: 'shoeSize', operator: 'eq', value: '9' }] }, /filters\[0\]\.field/],
      [{ filters: [{ field: 'email', operator: 'like', value: 'x' }] }, /filters\[0\]\.operator/],
      [{ filters: [{ field: 'email', operator: 'eq' }] }, /filters\[0\]\.value/],
      [{ filters: [{ field: 'dateAdded', operator: 'range', value: { gte: 'soon' } }] }, /gte/],
      [{ filters: [{ group: 'XOR', filters: [] }] }, /group/],
      [{ sort: [{ field: 'shoeSize' }] }, /sort\[0\]\.field/],
      [{ searchAfter: ['x'] }, /searchAfter/],
      [{ page: 100, pageLimit: 500 }, /searchAfter/],
      [{ pageLimit: 501 }, /pageLimit/],
    ];
    for (const [body, message] of cases) {
      const response = await advanced(body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.body.message.join(' '), JSON.stringify(body)).toMatch(message);
    }
  });

  it('finds the duplicate a new contact would make: email first, then phone; null when none', async () => {
    const grace = people[3] as { id: string; email: string; phone: string };
    const byEmail = expectSpec(
      'contacts:get-duplicate-contact',
      200,
      await sdk.contacts.getDuplicateContact({ locationId: location.locationId, email: grace.email.toUpperCase() }),
    );
    expect(byEmail).toMatchObject({ contact: { id: grace.id } });
    const byNumber = await sdk.contacts.getDuplicateContact({ locationId: location.locationId, number: grace.phone });
    expect(byNumber).toMatchObject({ contact: { id: grace.id } });
    const none = await sdk.contacts.getDuplicateContact({ locationId: location.locationId, email: 'no@one.example' });
    expect(none).toMatchObject({ contact: null });
    const neither = await location.api.get('contacts:get-duplicate-contact', '/contacts/search/duplicate', {
      query: { locationId: location.locationId },
    });
    expect(neither.status).toBe(422);
  });

  it('adds and removes tags through the SDK, keeping the contact’s own', async () => {
    const contact = await createContact(location, { tags: ['existing'] });
    const added = await sdk.contacts.addTags({ contactId: contact.id }, { tags: ['new', 'existing', ' spaced '] });
    expectSpec('contacts:add-tags', 201, added);
    expect(added.tags).toEqual(['existing', 'new', 'spaced']);
    const removed = await sdk.contacts.removeTags({ contactId: contact.id }, { tags: ['existing', 'absent'] });
    expectSpec('contacts:remove-tags', 200, removed);
    expect(removed.tags).toEqual(['new', 'spaced']);
    const read = await location.api.get('contacts:get-contact', `/contacts/${contact.id}`);
    expect(read.body.contact.tags).toEqual(['new', 'spaced']);
    const error = await sdkError(sdk.contacts.addTags({ contactId: contact.id }, { tags: [] }));
    expect(error.statusCode).toBe(422);
    const foreign = await other.api.post('contacts:add-tags', `/contacts/${contact.id}/tags`, { tags: ['x'] });
    expect(foreign.status).toBe(404);
  });

  it('reads the location record through the SDK, with locations.readonly only', async () => {
    const record = expectSpec(
      'locations:get-location',
      200,
      await sdk.locations.getLocation({ locationId: location.locationId }),
    );
    expect(record.location).toMatchObject({ id: location.locationId, name: expect.any(String) });
    const narrow = highLevelClient(
      harness.baseUrl,
      await issueToken(harness, location.locationId, ['locations.readonly']),
    );
    expect((await narrow.locations.getLocation({ locationId: location.locationId })).location?.id).toBe(
      location.locationId,
    );
    const forbidden = await sdkError(sdk.locations.getLocation({ locationId: other.locationId }));
    expect(forbidden.statusCode).toBe(403);
  });
});
