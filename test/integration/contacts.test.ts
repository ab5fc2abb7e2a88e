// Contacts as HighLevel serves them: create refuses duplicates, upsert matches on email then phone,
// and every change to a contact shows in its conversation (search text) or removes it (delete).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const unique = () => randomUUID().slice(0, 8);

describe.each(ENGINES)('contacts on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  let other: TestLocation;

  beforeAll(async () => {
    harness = await startHarness(engine);
    location = await createLocation(harness);
    other = await createLocation(harness);
  });
  afterAll(() => harness?.close());

  const create = (target: TestLocation, body: Record<string, unknown>) =>
    target.api.post('contacts:create-contact', '/contacts/', { locationId: target.locationId, ...body });

  const search = (query: string) =>
    location.api.get('conversations:search-conversation', '/conversations/search', {
      query: { locationId: location.locationId, query },
    });

  it('creates a contact: splits the name, normalises the phone, keeps the email as given', async () => {
    const tag = unique();
    const created = await create(location, {
      name: `Ada King Lovelace${tag}`,
      email: `Ada.${tag}@Example.COM`,
      phone: '(555) 123-4567',
      tags: ['vip', ' vip ', 'lead'],
      companyName: 'Analytical Engines',
      city: 'London',
    });
    expect(created.status).toBe(201);
    expect(created.body.contact).toMatchObject({
      locationId: location.locationId,
      firstName: 'Ada',
      lastName: `King Lovelace${tag}`,
      name: `Ada King Lovelace${tag}`,
      email: `Ada.${tag}@Example.COM`,
      emailLowerCase: `ada.${tag}@example.com`,
      phone: '+15551234567',
      companyName: 'Analytical Engines',
      city: 'London',
      tags: ['vip', 'lead'],
      dnd: false,
    });
    expect(created.body.contact.id).toMatch(/^[0-9A-Za-z]{20}$/);
    const read = await location.api.get('contacts:get-contact', `/contacts/${created.body.contact.id}`);
    expect(read.status).toBe(200);
    expect(read.body.contact).toMatchObject({ id: created.body.contact.id, phone: '+15551234567' });
  });

  it('refuses a duplicate email (whatever its case) or phone (whatever its format) in the same location', async () => {
    const tag = unique();
    const first = await createContact(location, { email: `dup.${tag}@example.com`, phone: '+1 555 010 7788' });
    const byEmail = await create(location, { firstName: 'Other', email: `DUP.${tag}@EXAMPLE.com` });
    expect(byEmail.status).toBe(400);
    expect(byEmail.body).toMatchObject({
      statusCode: 400,
      message: 'This location does not allow duplicated contacts.',
      meta: { contactId: first.id, matchingField: 'email' },
    });
    const byPhone = await create(location, { firstName: 'Other', phone: '555.010.7788' });
    expect(byPhone.status).toBe(400);
    expect(byPhone.body.meta).toMatchObject({ contactId: first.id, matchingField: 'phone' });
    // Another location is free to hold the same person.
    const elsewhere = await create(other, { email: `dup.${tag}@example.com`, phone: '+15550107788' });
    expect(elsewhere.status).toBe(201);
  });

  it('answers 422 with a message array for an invalid email or phone', async () => {
    for (const body of [{ email: 'not-an-email' }, { email: 'a@b' }, { phone: 'call me' }, { phone: '12' }]) {
      const response = await create(location, { firstName: 'Bad', ...body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(Array.isArray(response.body.message)).toBe(true);
      expect(response.body.error).toBe('Unprocessable Entity');
    }
    const contact = await createContact(location);
    const update = await location.api.put('contacts:update-contact', `/contacts/${contact.id}`, { email: 'nope@' });
    expect(update.status).toBe(422);
    expect(Array.isArray(update.body.message)).toBe(true);
  });

  it('reads birth dates in every documented format back as the ISO date, and custom fields as {id, value}', async () => {
    const formats = ['1990/09/25', '09/25/1990', '1990-09-25', '09-25-1990', '1990.09.25', '09.25.1990', '1990_9_25'];
    for (const dateOfBirth of formats) {
      const created = await create(location, { firstName: 'Born', dateOfBirth });
      expect(created.status, dateOfBirth).toBe(201);
      expect(created.body.contact.dateOfBirth).toBe('1990-09-25T00:00:00.000Z');
    }
    const contact = await createContact(location, {
      dateOfBirth: '2000-02-29',
      customFields: [{ id: 'cfTier', key: 'tier', field_value: 'gold' }],
    });
    const read = await location.api.get('contacts:get-contact', `/contacts/${contact.id}`);
    expect(read.body.contact).toMatchObject({
      dateOfBirth: '2000-02-29T00:00:00.000Z',
      customFields: [{ id: 'cfTier', value: 'gold' }],
    });
    // What was read can be written back, and null clears it.
    const rewritten = await location.api.put('contacts:update-contact', `/contacts/${contact.id}`, {
      dateOfBirth: read.body.contact.dateOfBirth,
    });
    expect(rewritten.body.contact.dateOfBirth).toBe('2000-02-29T00:00:00.000Z');
    const cleared = await location.api.put('contacts:update-contact', `/contacts/${contact.id}`, { dateOfBirth: null });
    expect(cleared.body.contact.dateOfBirth).toBeUndefined();
    for (const dateOfBirth of ['2001-02-29', '1990-13-01', 'yesterday', '25/09/1990', { year: 1990 }]) {
      const invalid = await create(location, { firstName: 'Born', dateOfBirth });
      expect(invalid.status, JSON.stringify(dateOfBirth)).toBe(422);
      expect(invalid.body.message[0]).toMatch(/^dateOfBirth must be/);
    }
  });

  it('answers 404 for an unknown contact and for another location’s contact', async () => {
    const foreign = await createContact(other);
    for (const id of ['unknownContactId0000', foreign.id]) {
      const read = await location.api.get('contacts:get-contact', `/contacts/${id}`);
      expect(read.status).toBe(404);
      const update = await location.api.put('contacts:update-contact', `/contacts/${id}`, { firstName: 'X' });
      expect(update.status).toBe(404);
      const remove = await location.api.delete('contacts:delete-contact', `/contacts/${id}`);
      expect(remove.status).toBe(404);
    }
    const stillThere = await other.api.get('contacts:get-contact', `/contacts/${foreign.id}`);
    expect(stillThere.status).toBe(200);
    expect(stillThere.body.contact.firstName).toBe('Test');
  });

  it('updates a contact and its conversation is found by the new name, not the old one', async () => {
    const oldName = `Oldname${unique()}`;
    const newName = `Newname${unique()}`;
    const contact = await createContact(location, { firstName: oldName, lastName: 'Smith' });
    const conversation = await createConversation(location, contact.id);
    expect((await search(oldName)).body.conversations.map((c: { id: string }) => c.id)).toEqual([conversation.id]);

    const updated = await location.api.put('contacts:update-contact', `/contacts/${contact.id}`, {
      firstName: newName,
      phone: '(555) 987-6543',
      tags: ['renamed'],
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      succeded: true,
      contact: {
        id: contact.id,
        firstName: newName,
        lastName: 'Smith',
        name: `${newName} Smith`,
        phone: '+15559876543',
      },
    });
    expect(updated.body.contact.email).toBe(contact.email);

    const found = await search(newName.toLowerCase());
    expect(found.body.conversations.map((c: { id: string }) => c.id)).toEqual([conversation.id]);
    expect(found.body.conversations[0].fullName).toBe(`${newName} Smith`);
    expect((await search(oldName)).body.conversations).toEqual([]);
    expect((await search('5559876543')).body.conversations.map((c: { id: string }) => c.id)).toEqual([conversation.id]);
  });

  it('refuses an update that would duplicate another contact’s email or phone', async () => {
    const tag = unique();
    const taken = await createContact(location, { email: `taken.${tag}@example.com`, phone: '+15550001234' });
    const contact = await createContact(location);
    const byEmail = await location.api.put('contacts:update-contact', `/contacts/${contact.id}`, {
      email: `Taken.${tag}@example.com`,
    });
    expect(byEmail.status).toBe(400);
    expect(byEmail.body).toMatchObject({
      message: 'This location does not allow duplicated contacts.',
      meta: { contactId: taken.id, matchingField: 'email' },
    });
    const byPhone = await location.api.put('contacts:update-contact', `/contacts/${contact.id}`, {
      phone: '555-000-1234',
    });
    expect(byPhone.status).toBe(400);
    // Saving a contact with its own email and phone is no duplicate.
    const same = await location.api.put('contacts:update-contact', `/contacts/${taken.id}`, {
      email: `TAKEN.${tag}@example.com`,
      phone: '+15550001234',
    });
    expect(same.status).toBe(200);
  });

  it('keeps a large-text custom value up to the long-text bound, and refuses one past it with 422', async () => {
    const long = 'Notes. '.repeat(7_000);
    const created = await create(location, {
      email: `notes.${unique()}@example.com`,
      customFields: [{ id: 'notesField', field_value: long }],
    });
    expect(created.status, JSON.stringify(created.body).slice(0, 300)).toBe(201);
    const read = await location.api.get('contacts:get-contact', `/contacts/${created.body.contact.id}`);
    expect(JSON.stringify(read.body.contact.customFields)).toContain(long);
    const tooLong = await create(location, {
      email: `notes.${unique()}@example.com`,
      customFields: [{ id: 'notesField', field_value: 'x'.repeat(200_001) }],
    });
    expect(tooLong.status).toBe(422);
    const longName = await create(location, { email: `name.${unique()}@example.com`, companyName: 'x'.repeat(10_001) });
    expect(longName.status).toBe(422);
  });

  it('deletes a contact together with its conversation', async () => {
    const contact = await createContact(location);
    const conversation = await createConversation(location, contact.id);
    const deleted = await location.api.delete('contacts:delete-contact', `/contacts/${contact.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.succeded).toBe(true);
    expect((await location.api.get('contacts:get-contact', `/contacts/${contact.id}`)).status).toBe(404);
    const gone = await location.api.get('conversations:get-conversation', `/conversations/${conversation.id}`);
    expect(gone.status).toBe(404);
    const again = await location.api.delete('contacts:delete-contact', `/contacts/${contact.id}`);
    expect(again.status).toBe(404);
  });

  it('upserts: creates, then matches on email, then on phone, updating fields', async () => {
    const tag = unique();
    const upsert = (body: Record<string, unknown>) =>
      location.api.post('contacts:upsert-contact', '/contacts/upsert', { locationId: location.locationId, ...body });

    const created = await upsert({ firstName: 'Grace', email: `grace.${tag}@example.com` });
    expect(created.status).toBe(200);
    expect(created.body.new).toBe(true);
    const id = created.body.contact.id;

    const byEmail = await upsert({ email: `GRACE.${tag}@example.com`, lastName: 'Hopper', phone: '555 222 3333' });
    expect(byEmail.body).toMatchObject({
      new: false,
      contact: { id, firstName: 'Grace', lastName: 'Hopper', name: 'Grace Hopper', phone: '+15552223333' },
    });

    const byPhone = await upsert({ phone: '+1 (555) 222-3333', companyName: 'Navy', tags: ['cobol'] });
    expect(byPhone.body).toMatchObject({
      new: false,
      // The email-matched upsert stored the email as that request spelled it.
      contact: { id, companyName: 'Navy', tags: ['cobol'], email: `GRACE.${tag}@example.com` },
    });

    const read = await location.api.get('contacts:get-contact', `/contacts/${id}`);
    expect(read.body.contact).toMatchObject({ lastName: 'Hopper', companyName: 'Navy', phone: '+15552223333' });

    const fresh = await upsert({ firstName: 'Someone', email: `else.${tag}@example.com` });
    expect(fresh.body.new).toBe(true);
    expect(fresh.body.contact.id).not.toBe(id);
  });

  it('keeps an upserted contact’s conversation searchable by its new name', async () => {
    const tag = unique();
    const contact = await createContact(location, { firstName: `Before${tag}`, email: `search.${tag}@example.com` });
    const conversation = await createConversation(location, contact.id);
    await location.api.post('contacts:upsert-contact', '/contacts/upsert', {
      locationId: location.locationId,
      email: `search.${tag}@example.com`,
      firstName: `After${tag}`,
    });
    expect((await search(`after${tag}`)).body.conversations.map((c: { id: string }) => c.id)).toEqual([
      conversation.id,
    ]);
    expect((await search(`before${tag}`)).body.conversations).toEqual([]);
  });

  it('guards reads with contacts.readonly and writes with contacts.write', async () => {
    const contact = await createContact(location);
    const reader = await createLocation(harness, ['contacts.readonly']);
    const readerOfMine = harness.client(
      (
        await harness.admin.post(null, `/admin/v1/locations/${location.locationId}/tokens`, {
          scopes: ['contacts.readonly'],
        })
      ).body.token,
    );
    expect((await readerOfMine.get('contacts:get-contact', `/contacts/${contact.id}`)).status).toBe(200);
    const denied = await readerOfMine.put('contacts:update-contact', `/contacts/${contact.id}`, { firstName: 'X' });
    expect(denied.status).toBe(401);
    expect(denied.body.message).toBe('The token is not authorized for this scope.');
    const createDenied = await reader.api.post('contacts:create-contact', '/contacts/', {
      locationId: reader.locationId,
      firstName: 'X',
    });
    expect(createDenied.status).toBe(401);
    const conversationsOnly = await createLocation(harness, ['conversations.readonly']);
    const readDenied = await conversationsOnly.api.get('contacts:get-contact', `/contacts/${contact.id}`);
    expect(readDenied.status).toBe(401);
  });
});
