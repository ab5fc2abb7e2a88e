import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';

describe.each(ENGINES)('conversations on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  let other: TestLocation;

  beforeAll(async () => {
    harness = await startHarness(engine);
    location = await createLocation(harness);
    other = await createLocation(harness);
  });
  afterAll(() => harness?.close());

  it('creates one conversation per contact and names the existing one on a second create', async () => {
    const contact = await createContact(location);
    const first = await createConversation(location, contact.id);
    expect(first.contactId).toBe(contact.id);
    const second = await location.api.post('conversations:create-conversation', '/conversations', {
      locationId: location.locationId,
      contactId: contact.id,
    });
    expect(second.status).toBe(400);
    expect(second.body.conversationId).toBe(first.id);
  });

  it('answers 400 for a contact that does not exist and 404 for another location’s conversation', async () => {
    const missing = await location.api.post('conversations:create-conversation', '/conversations/', {
      locationId: location.locationId,
      contactId: 'nope',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe('Contact not found for id:nope');
    const foreign = await createConversation(other);
    const read = await location.api.get('conversations:get-conversation', `/conversations/${foreign.id}`);
    expect(read.status).toBe(404);
  });

  it('gets, updates and deletes a conversation', async () => {
    const conversation = await createConversation(location);
    const read = await location.api.get('conversations:get-conversation', `/conversations/${conversation.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: conversation.id, type: 2, unreadCount: 0, starred: false, deleted: false });
    const updated = await location.api.put('conversations:update-conversation', `/conversations/${conversation.id}`, {
      locationId: location.locationId,
      unreadCount: 3,
      starred: true,
      feedback: 'positive',
    });
    expect(updated.status).toBe(200);
    expect(updated.body.conversation).toMatchObject({ unreadCount: 3, starred: true });
    const deleted = await location.api.delete('conversations:delete-conversation', `/conversations/${conversation.id}`);
    expect(deleted.body).toMatchObject({ success: true });
    const gone = await location.api.get('conversations:get-conversation', `/conversations/${conversation.id}`);
    expect(gone.status).toBe(404);
  });
});
