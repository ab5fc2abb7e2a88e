// An event stream never outlives its right to exist, and never shows more than the REST API would to its token
// (docs/security.md): once its token is revoked, its app uninstalled or its location deleted, the stream ends
// within a second with a final `end` frame saying why; without conversations/message.readonly it carries no message
// or email bodies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createApp, createContact, createLocation, issueToken, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness, VERSION } from '../helpers/harness.js';
import { uniquePhone } from '../helpers/messages.js';
import { createOAuthApp, installOnLocation } from '../helpers/oauth.js';
import { SseStream } from '../helpers/sse.js';

const STREAM = '/conversations/events/stream';

describe.each(ENGINES)('event stream rights on %s', (engine) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(engine, { env: { REALTIME_HEARTBEAT_MS: '200' } });
  });
  afterAll(() => harness?.close());

  async function open(token: string) {
    const stream = await SseStream.open(`${harness.baseUrl}${STREAM}`, {
      authorization: `Bearer ${token}`,
      version: VERSION,
    });
    await stream.next('ready');
    return stream;
  }
  async function inboundSms(location: TestLocation, message: string) {
    const contact = await createContact(location, { phone: uniquePhone() });
    const response = await location.api.post(
      'conversations:add-an-inbound-message',
      '/conversations/messages/inbound',
      {
        type: 'SMS',
        contactId: contact.id,
        message,
      },
    );
    expect(response.status).toBe(200);
    return response.body as { messageId: string };
  }
  const tokenIdOf = async (location: TestLocation, token: string) => {
    const listed = await harness.admin.get(null, `/admin/v1/locations/${location.locationId}/tokens`);
    const tokens = listed.body.tokens as { id: string; prefix?: string; tokenPrefix?: string }[];
    const rows = await harness.server.store.db.selectFrom('api_tokens').select(['id', 'token_hash']).execute();
    const { hashToken } = await import('../../src/domain/ids.js');
    const id = rows.find((row) => row.token_hash === hashToken(token))?.id;
    expect(tokens.some((entry) => entry.id === id)).toBe(true);
    return id as string;
  };

  it('ends a stream within a second of its token being revoked, with a final event saying why', async () => {
    const location = await createLocation(harness);
    const token = await issueToken(harness, location.locationId, ['conversations.readonly']);
    const stream = await open(token);
    const revoked = await harness.admin.delete(
      null,
      `/admin/v1/locations/${location.locationId}/tokens/${await tokenIdOf(location, token)}`,
    );
    expect(revoked.status).toBe(200);
    await expectEndedPromptly(stream, 'credentials-revoked');
    // Nothing written after the revocation reaches it.
    await inboundSms(location, 'after revocation');
    expect(stream.events.filter((event) => event.event === 'ConversationUpdated' || event.data?.message)).toEqual([]);
  });

  /** Ends within about a second of losing its right to exist, and says why in its last frame. */
  async function expectEndedPromptly(stream: SseStream, reason: string) {
    const started = Date.now();
    await stream.end(3_000);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(stream.events.at(-1)).toMatchObject({ event: 'end', data: { reason } });
  }

  it('ends the stream of an OAuth token within a second of its app being uninstalled from the location', async () => {
    const location = await createLocation(harness);
    const app = await createOAuthApp(harness);
    const installed = await installOnLocation(harness, app, location.locationId, ['conversations.readonly']);
    const stream = await open(installed.access_token);
    const removed = await harness.admin.delete(null, `/admin/v1/locations/${location.locationId}/apps/${app.appId}`);
    expect(removed.status).toBe(200);
    await expectEndedPromptly(stream, 'credentials-revoked');
  });

  it("ends an app token's stream within a second of the app being uninstalled", async () => {
    const location = await createLocation(harness);
    const app = await createApp(harness);
    const issued = await harness.admin.post(null, `/admin/v1/locations/${location.locationId}/tokens`, {
      appId: app.id,
      scopes: ['conversations.readonly'],
    });
    expect(issued.status).toBe(201);
    const stream = await open(issued.body.token as string);
    const removed = await harness.admin.delete(null, `/admin/v1/locations/${location.locationId}/apps/${app.id}`);
    expect(removed.status).toBe(200);
    await expectEndedPromptly(stream, 'credentials-revoked');
  });

  it('ends every stream of a location within a second of the location being deleted', async () => {
    const location = await createLocation(harness);
    const streams = [
      await open(await issueToken(harness, location.locationId, ['conversations.readonly'])),
      await open(location.token),
    ];
    const deleted = await harness.admin.delete(null, `/admin/v1/locations/${location.locationId}`);
    expect(deleted.status).toBe(200);
    await Promise.all(streams.map((stream) => expectEndedPromptly(stream, 'credentials-revoked')));
  });

  it('leaves message and email bodies out for a token without conversations/message.readonly', async () => {
    const location = await createLocation(harness);
    const narrow = await open(await issueToken(harness, location.locationId, ['conversations.readonly']));
    const wide = await open(
      await issueToken(harness, location.locationId, ['conversations.readonly', 'conversations/message.readonly']),
    );
    const sent = await inboundSms(location, 'secret body text');
    const hasMessage = (events: { data: any }[]) =>
      events.some((event) => event.data?.messageId === sent.messageId || event.data?.message?.id === sent.messageId);
    await narrow.until(hasMessage);
    await wide.until(hasMessage);
    const narrowText = JSON.stringify(narrow.stored.map((event) => event.data));
    expect(narrowText).not.toContain('"message":{');
    expect(narrow.stored.some((event) => event.data.messageId === sent.messageId)).toBe(true);
    expect(JSON.stringify(wide.stored.map((event) => event.data))).toContain('secret body text');
    expect(wide.stored.some((event) => event.data.message?.body === 'secret body text')).toBe(true);
    narrow.close();
    wide.close();
  });
});
