// Interop: the conversation operations end to end through the official SDK, exactly as an integrator calls them.
import { GHLNotFoundError, GHLValidationError, type HighLevel } from '@gohighlevel/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { expectSpec, highLevelClient, sdkError } from '../helpers/sdk.js';
import { specErrors } from '../helpers/spec-validator.js';

describe.each(ENGINES)('official SDK on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  let sdk: HighLevel;

  async function sdkContact(suffix: string, at = location, client = sdk) {
    const created = expectSpec(
      'contacts:create-contact',
      201,
      await client.contacts.createContact({
        locationId: at.locationId,
        firstName: 'Sdk',
        lastName: suffix,
        email: `sdk-${suffix}-${Date.now()}@example.com`,
      }),
    );
    expect(created.contact?.id).toEqual(expect.any(String));
    return created.contact?.id as string;
  }

  async function sdkConversation(contactId: string, at = location, client = sdk) {
    const created = expectSpec(
      'conversations:create-conversation',
      201,
      await client.conversations.createConversation({ locationId: at.locationId, contactId }),
    );
    expect(created).toMatchObject({ success: true, conversation: { contactId, locationId: at.locationId } });
    return created.conversation.id;
  }

  beforeAll(async () => {
    harness = await startHarness(engine);
    location = await createLocation(harness);
    sdk = highLevelClient(harness.baseUrl, location.token);
  });
  afterAll(() => harness?.close());

  it('creates a contact and its conversation, then gets and updates the conversation', async () => {
    const contactId = await sdkContact('lifecycle');
    const conversationId = await sdkConversation(contactId);

    const read = expectSpec(
      'conversations:get-conversation',
      200,
      await sdk.conversations.getConversation({ conversationId }),
    );
    expect(read).toMatchObject({ id: conversationId, contactId, locationId: location.locationId, unreadCount: 0 });

    const updated = expectSpec(
      'conversations:update-conversation',
      200,
      await sdk.conversations.updateConversation(
        { conversationId },
        { locationId: location.locationId, unreadCount: 4, starred: true, feedback: 'positive' },
      ),
    );
    expect(updated).toMatchObject({
      success: true,
      conversation: { id: conversationId, unreadCount: 4, starred: true },
    });
    const reread = await sdk.conversations.getConversation({ conversationId });
    expect(reread).toMatchObject({ unreadCount: 4, starred: true });
  });

  it('deletes the conversation through the SDK, after which it is a 404', async () => {
    const conversationId = await sdkConversation(await sdkContact('delete'));
    const deleted = expectSpec(
      'conversations:delete-conversation',
      200,
      await sdk.conversations.deleteConversation({ conversationId }),
    );
    expect(deleted).toMatchObject({ success: true });
    const gone = await sdkError(sdk.conversations.getConversation({ conversationId }));
    expect(gone).toBeInstanceOf(GHLNotFoundError);
    expect(gone.statusCode).toBe(404);
  });

  it('searches and pages with startAfterDate passed back as the previous page’s last sort array', async () => {
    // A location of its own, so the expected order is exactly the conversations made here.
    const paging = await createLocation(harness);
    const client = highLevelClient(harness.baseUrl, paging.token);
    const created: string[] = [];
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) {
      created.push(await sdkConversation(await sdkContact(name, paging, client), paging, client));
    }

    const seen: string[] = [];
    let startAfterDate: unknown;
    for (let page = 0; page < 10; page += 1) {
      const result = expectSpec(
        'conversations:search-conversation',
        200,
        await client.conversations.searchConversation({ locationId: paging.locationId, limit: 2, startAfterDate }),
      );
      expect(result.total).toBe(5);
      if (result.conversations.length === 0) break;
      for (const item of result.conversations) seen.push(item.id);
      // axios sends this array as `startAfterDate[]=<ms>&startAfterDate[]=<tiebreak>`.
      const last = result.conversations.at(-1) as unknown as { sort: unknown };
      expect(last.sort).toEqual([expect.any(Number), expect.any(Number)]);
      startAfterDate = last.sort;
    }
    // Every conversation exactly once, newest first (same-millisecond ties broken by creation order).
    expect(seen).toEqual([...created].reverse());

    const one = await client.conversations.searchConversation({ locationId: paging.locationId, id: created[2] });
    expect(one.conversations.map((item) => item.id)).toEqual([created[2]]);
  });

  it('surfaces a 404 as GHLNotFoundError and a 422 as GHLValidationError with the server’s body', async () => {
    const missing = await sdkError(sdk.conversations.getConversation({ conversationId: 'aaaaaaaaaaaaaaaaaaaa' }));
    expect(missing).toBeInstanceOf(GHLNotFoundError);
    expect(missing.statusCode).toBe(404);
    expect(specErrors('conversations', 'get-conversation', 404, missing.response)).toEqual([]);

    const invalid = await sdkError(
      sdk.conversations.searchConversation({ locationId: location.locationId, sort: 'sideways' }),
    );
    expect(invalid).toBeInstanceOf(GHLValidationError);
    expect(invalid.statusCode).toBe(422);
    expect(specErrors('conversations', 'search-conversation', 422, invalid.response)).toEqual([]);
    expect((invalid.response as { message: string[] }).message.join(' ')).toMatch(/sort/);
  });

  it('surfaces another location’s conversation as a 404, not a leak', async () => {
    const other = await createLocation(harness);
    const otherSdk = highLevelClient(harness.baseUrl, other.token);
    const foreign = await sdkConversation(await sdkContact('foreign', other, otherSdk), other, otherSdk);
    const error = await sdkError(sdk.conversations.getConversation({ conversationId: foreign }));
    expect(error.statusCode).toBe(404);
  });
});
