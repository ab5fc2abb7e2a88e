// The operators' admin API: locations, private integration tokens (issue, list, revoke) and conversation fields
// the public API cannot set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../../src/domain/scopes.js';
import { ENGINES } from '../helpers/engines.js';
import { createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe.each(ENGINES)('admin API on %s', (engine) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(engine);
  });
  afterAll(() => harness?.close());

  describe('locations', () => {
    it('creates a location and reads it back', async () => {
      const created = await harness.admin.post(null, '/admin/v1/locations', { name: 'Acme Dental' });
      expect(created.status).toBe(201);
      expect(created.body.location).toMatchObject({
        id: expect.stringMatching(/^[0-9A-Za-z]{20}$/),
        name: 'Acme Dental',
      });
      expect(new Date(created.body.location.dateAdded).toISOString()).toBe(created.body.location.dateAdded);
      expect(created.body.traceId).toMatch(new RegExp(`^${UUID}$`));

      const read = await harness.admin.get(null, `/admin/v1/locations/${created.body.location.id}`);
      expect(read.status).toBe(200);
      expect(read.body.location).toEqual(created.body.location);
    });

    it('accepts a chosen id once and answers 409 for the same id again', async () => {
      const id = `loc_${Date.now()}`;
      const first = await harness.admin.post(null, '/admin/v1/locations', { name: 'Chosen', id, companyId: 'co1' });
      expect(first.status).toBe(201);
      expect(first.body.location).toMatchObject({ id, companyId: 'co1' });
      const again = await harness.admin.post(null, '/admin/v1/locations', { name: 'Chosen again', id });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ statusCode: 409, traceId: expect.any(String) });
    });

    it('answers 409, never a 500, when the same id is created concurrently', async () => {
      // Straight at the use case, so the creates interleave between the existence check and the insert.
      const id = `race_${Date.now()}`;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, () => harness.server.services.locations.createLocation({ name: 'Race', id })),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'CONFLICT' });
      }
      const again = await harness.admin.post(null, '/admin/v1/locations', { name: 'Race', id });
      expect(again.status).toBe(409);
    });

    it('rejects an invalid body with 422 and a message list', async () => {
      for (const body of [{}, { name: '' }, { name: 'x'.repeat(201) }, { name: 'x', id: 'has spaces' }]) {
        const response = await harness.admin.post(null, '/admin/v1/locations', body);
        expect(response.status, JSON.stringify(body)).toBe(422);
        expect(response.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity' });
        expect(response.body.message).toEqual(expect.arrayContaining([expect.any(String)]));
      }
    });

    it('answers 404 for an unknown location', async () => {
      const response = await harness.admin.get(null, '/admin/v1/locations/doesnotexist0000000');
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ statusCode: 404, message: 'Location not found' });
    });

    it('needs the admin token: none, a wrong one, or a location token is 401', async () => {
      const location = await createLocation(harness);
      for (const headers of [{ authorization: undefined }, { authorization: 'Bearer wrong-admin-token-000000' }]) {
        const response = await harness.admin.get(null, `/admin/v1/locations/${location.locationId}`, { headers });
        expect(response.status).toBe(401);
      }
      const withPit = await harness.client(location.token).get(null, `/admin/v1/locations/${location.locationId}`);
      expect(withPit.status).toBe(401);
    });
  });

  describe('tokens', () => {
    let location: TestLocation;
    beforeAll(async () => {
      location = await createLocation(harness);
    });
    const tokensPath = () => `/admin/v1/locations/${location.locationId}/tokens`;

    it('issues a pit-<uuid> token with the scopes asked for, and it works on the API', async () => {
      const issued = await harness.admin.post(null, tokensPath(), {
        scopes: ['conversations.readonly'],
        name: 'Reader',
      });
      expect(issued.status).toBe(201);
      expect(issued.body).toMatchObject({
        id: expect.any(String),
        token: expect.stringMatching(new RegExp(`^pit-${UUID}$`)),
        scopes: ['conversations.readonly'],
        name: 'Reader',
        locationId: location.locationId,
        revokedAt: null,
      });
      const api = harness.client(issued.body.token);
      const search = await api.get('conversations:search-conversation', '/conversations/search', {
        query: { locationId: location.locationId },
      });
      expect(search.status).toBe(200);
      const write = await api.post('conversations:create-conversation', '/conversations/', {
        locationId: location.locationId,
        contactId: 'whoever',
      });
      expect(write.status).toBe(401);
      expect(write.body.message).toBe('The token is not authorized for this scope.');
    });

    it('grants every scope by default', async () => {
      const issued = await harness.admin.post(null, tokensPath(), { name: 'Everything' });
      expect(issued.status).toBe(201);
      expect([...issued.body.scopes].sort()).toEqual([...SCOPES].sort());
    });

    it('keeps each scope once', async () => {
      const scopes = ['contacts.readonly', 'contacts.readonly', 'conversations.write'];
      const issued = await harness.admin.post(null, tokensPath(), { scopes });
      expect(issued.status).toBe(201);
      expect(issued.body.scopes).toEqual(['contacts.readonly', 'conversations.write']);
    });

    it('rejects unknown or no scopes with 422', async () => {
      for (const scopes of [['conversations.readonly', 'calendars.write'], []]) {
        const response = await harness.admin.post(null, tokensPath(), { scopes });
        expect(response.status, JSON.stringify(scopes)).toBe(422);
        expect(response.body.message).toEqual(expect.arrayContaining([expect.stringContaining('scopes')]));
      }
    });

    it('answers 404 when issuing for an unknown location', async () => {
      const response = await harness.admin.post(null, '/admin/v1/locations/nope00000000000000000/tokens', {});
      expect(response.status).toBe(404);
    });

    it('lists tokens without their secret and stores only a digest', async () => {
      const issued = await harness.admin.post(null, tokensPath(), { name: 'Listed' });
      const list = await harness.admin.get(null, tokensPath());
      expect(list.status).toBe(200);
      const listed = list.body.tokens.find((t: { id: string }) => t.id === issued.body.id);
      expect(listed).toMatchObject({ id: issued.body.id, name: 'Listed', revokedAt: null });
      const text = JSON.stringify(list.body);
      expect(text).not.toContain(issued.body.token);
      expect(text).not.toMatch(/pit-/);
      for (const token of list.body.tokens) expect(Object.keys(token)).not.toContain('token');
      expect(text).not.toMatch(/hash/i);

      const row = await harness.server.store.db
        .selectFrom('api_tokens')
        .selectAll()
        .where('id', '=', issued.body.id)
        .executeTakeFirstOrThrow();
      expect(row.token_hash).not.toBe(issued.body.token);
      expect(row.token_hash).not.toContain(issued.body.token.slice(4));
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      const all = await harness.server.store.db.selectFrom('api_tokens').select('token_hash').execute();
      expect(JSON.stringify(all)).not.toContain('pit-');
    });

    it('revokes a token: the API then answers 401, and a second revoke is 404', async () => {
      const issued = await harness.admin.post(null, tokensPath(), { name: 'Doomed' });
      const api = harness.client(issued.body.token);
      const query = { query: { locationId: location.locationId } };
      expect((await api.get('conversations:search-conversation', '/conversations/search', query)).status).toBe(200);

      const revoked = await harness.admin.delete(null, `${tokensPath()}/${issued.body.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({ success: true });

      const denied = await api.get('conversations:search-conversation', '/conversations/search', query);
      expect(denied.status).toBe(401);
      expect(denied.body.message).toBe('Invalid Private Integration token');
      const list = await harness.admin.get(null, tokensPath());
      const listed = list.body.tokens.find((t: { id: string }) => t.id === issued.body.id);
      expect(listed.revokedAt).toEqual(expect.any(String));

      expect((await harness.admin.delete(null, `${tokensPath()}/${issued.body.id}`)).status).toBe(404);
      expect((await harness.admin.delete(null, `${tokensPath()}/unknowntoken00000000`)).status).toBe(404);
    });

    it('does not revoke a token through another location', async () => {
      const other = await createLocation(harness);
      const issued = await harness.admin.post(null, tokensPath(), {});
      const wrong = await harness.admin.delete(
        null,
        `/admin/v1/locations/${other.locationId}/tokens/${issued.body.id}`,
      );
      expect(wrong.status).toBe(404);
      const api = harness.client(issued.body.token);
      const still = await api.get('conversations:search-conversation', '/conversations/search', {
        query: { locationId: location.locationId },
      });
      expect(still.status).toBe(200);
    });
  });

  describe('conversation fields', () => {
    let location: TestLocation;
    beforeAll(async () => {
      location = await createLocation(harness);
    });

    const patchPath = (conversationId: string, locationId = location.locationId) =>
      `/admin/v1/locations/${locationId}/conversations/${conversationId}`;

    async function searchItem(query: Record<string, string>) {
      const response = await location.api.get('conversations:search-conversation', '/conversations/search', {
        query: { locationId: location.locationId, ...query },
      });
      expect(response.status).toBe(200);
      return response.body.conversations as Record<string, unknown>[];
    }

    it('sets assignment, followers, mentions, scores and due date, seen by get and search', async () => {
      const conversation = await createConversation(location);
      const dueAt = Date.now() - 60_000;
      const patched = await harness.admin.patch(null, patchPath(conversation.id), {
        assignedTo: 'user-a',
        followers: ['user-b', 'user-c', 'user-b'],
        mentions: ['user-d'],
        scores: { 'profile-1': 42.5 },
        dueAt,
      });
      expect(patched.status).toBe(200);
      expect(patched.body.conversation).toMatchObject({ id: conversation.id, assignedTo: 'user-a' });

      const read = await location.api.get('conversations:get-conversation', `/conversations/${conversation.id}`);
      expect(read.body).toMatchObject({ id: conversation.id, assignedTo: 'user-a' });

      const [item] = await searchItem({ id: conversation.id });
      expect(item).toMatchObject({
        assignedTo: 'user-a',
        followers: ['user-b', 'user-c'],
        mentions: ['user-d'],
        dueAt,
      });
      expect((await searchItem({ assignedTo: 'user-a' })).map((c) => c.id)).toEqual([conversation.id]);
      expect((await searchItem({ followers: 'user-c' })).map((c) => c.id)).toEqual([conversation.id]);
      expect((await searchItem({ mentions: 'user-d' })).map((c) => c.id)).toEqual([conversation.id]);
      const scored = await searchItem({ scoreProfile: 'profile-1', scoreProfileMin: '40', scoreProfileMax: '50' });
      expect(scored.map((c) => c.id)).toEqual([conversation.id]);
      expect(await searchItem({ scoreProfile: 'profile-1', scoreProfileMin: '43' })).toEqual([]);
      expect((await searchItem({ sortBy: 'overdue_at' })).map((c) => c.id)).toEqual([conversation.id]);
    });

    it('clears fields: null assignment, empty follower list, null due date', async () => {
      const conversation = await createConversation(location);
      await harness.admin.patch(null, patchPath(conversation.id), { assignedTo: 'user-x', followers: ['user-y'] });
      const cleared = await harness.admin.patch(null, patchPath(conversation.id), {
        assignedTo: null,
        followers: [],
        dueAt: null,
      });
      expect(cleared.status).toBe(200);
      expect(cleared.body.conversation.assignedTo).toBeUndefined();
      const [item] = await searchItem({ id: conversation.id });
      expect(item).toMatchObject({ followers: [] });
      expect(item?.assignedTo).toBeUndefined();
      expect(item?.dueAt).toBeUndefined();
      expect((await searchItem({ assignedTo: 'unassigned', id: conversation.id })).length).toBe(1);
    });

    it('answers 404 for an unknown or another location’s conversation, and 422 for a bad body', async () => {
      const other = await createLocation(harness);
      const foreign = await createConversation(other);
      expect((await harness.admin.patch(null, patchPath(foreign.id), { assignedTo: 'u' })).status).toBe(404);
      expect((await harness.admin.patch(null, patchPath('nope0000000000000000'), { assignedTo: 'u' })).status).toBe(
        404,
      );
      const own = await createConversation(location);
      for (const body of [
        { followers: [''] },
        { assignedTo: '' },
        { dueAt: -1 },
        { scores: { p: 'high' } },
        { unknown: 1 },
      ]) {
        const response = await harness.admin.patch(null, patchPath(own.id), body);
        expect(response.status, JSON.stringify(body)).toBe(422);
      }
    });
  });
});
