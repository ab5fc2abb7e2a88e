// The journal of every call, read the way a CI job reads it when a test fails: newest first, filtered, paged, with
// bodies trimmed and never a credential.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/clock.js';
import { JournalRecorder, pruneInterval } from '../../src/journal/recorder.js';
import { listJournal } from '../../src/store/repositories/request-journal.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { journalRow } from '../helpers/journal.js';
import { send, uniquePhone } from '../helpers/messages.js';
import { highLevelClient } from '../helpers/sdk.js';

describe.each(ENGINES)('request journal (%s)', (engine) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(engine, {
      env: { JOURNAL_MAX_BODY_BYTES: '64', JOURNAL_MAX_READ_BODY_BYTES: '32', JOURNAL_MAX_ROWS: '5' },
    });
  });
  afterAll(async () => harness?.close());

  const journal = (location: TestLocation, query: Record<string, string | number> = {}) =>
    harness.admin.get(null, `/admin/v1/locations/${location.locationId}/requests`, { query });

  it('records each public call with its route, status, caller and trimmed bodies, newest first', async () => {
    const location = await createLocation(harness);
    const conversation = await createConversation(location);
    const sdk = highLevelClient(harness.baseUrl, location.token);
    await sdk.conversations.getConversation({ conversationId: conversation.id });
    const missing = await location.api.get(null, '/conversations/doesnotexist0000000000');
    expect(missing.status).toBe(404);

    const read = await journal(location);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    const [last, previous] = read.body.requests;
    expect(last).toMatchObject({
      method: 'GET',
      path: '/conversations/doesnotexist0000000000',
      route: '/conversations/{conversationId}',
      status: 404,
      traceId: missing.headers.get('x-trace-id'),
    });
    expect(previous).toMatchObject({
      method: 'GET',
      route: '/conversations/{conversationId}',
      status: 200,
      requestBody: null,
      appId: null,
    });
    expect(previous.tokenId).toEqual(expect.any(String));
    expect(previous.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(previous.dateAdded)).not.toBeNaN();
    // A successful read's answer cut to JOURNAL_MAX_READ_BODY_BYTES (32 here); an error's, like a write's, to
    // JOURNAL_MAX_BODY_BYTES (64).
    expect(typeof previous.responseBody).toBe('string');
    expect(Buffer.byteLength(previous.responseBody)).toBe(32);
    expect(Buffer.byteLength(last.responseBody)).toBe(64);
    // The contact and conversation creations are there too.
    const create = read.body.requests.find((r: { route: string }) => r.route === '/conversations');
    expect(create).toMatchObject({ method: 'POST', status: 201 });
    expect(create.requestBody).toEqual(expect.stringContaining(location.locationId));
    expect(Buffer.byteLength(create.responseBody)).toBe(64);
    // Never a credential.
    expect(JSON.stringify(read.body)).not.toContain(location.token);
  });

  it('filters by method, route and status (or class), pages with nextAfter, and keeps JOURNAL_MAX_ROWS', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: uniquePhone() });
    for (let i = 0; i < 3; i++) await send(location, { type: 'SMS', contactId: contact.id, message: `m${i}` });
    await location.api.post(null, '/conversations/messages', { type: 'SMS', contactId: contact.id });

    const posts = await journal(location, { method: 'POST', route: '/conversations/messages' });
    expect(posts.body.requests.map((r: { status: number }) => r.status)).toEqual([422, 200, 200, 200]);
    const failures = await journal(location, { status: '4xx' });
    expect(failures.body.requests).toHaveLength(1);
    expect(failures.body.requests[0].responseBody).toEqual(expect.stringContaining('422'));
    expect((await journal(location, { status: '200' })).body.requests).toHaveLength(3);

    const first = await journal(location, { limit: 2 });
    expect(first.body.requests).toHaveLength(2);
    const second = await journal(location, { limit: 2, after: first.body.nextAfter });
    const third = await journal(location, { limit: 2, after: second.body.nextAfter });
    const ids = [...first.body.requests, ...second.body.requests, ...third.body.requests].map(
      (r: { id: string }) => r.id,
    );
    // Five kept (JOURNAL_MAX_ROWS), the contact's creation pruned.
    expect(new Set(ids).size).toBe(5);
    expect(third.body.nextAfter).toBeNull();
  });

  it('keeps a call whose text carries NUL, shown as U+FFFD, and the calls batched with it', async () => {
    const location = await createLocation(harness);
    const config = {
      enabled: true,
      maxBodyBytes: 1024,
      maxReadBodyBytes: 1024,
      retentionMs: 3_600_000,
      maxRows: 100,
      flushMs: 50,
    };
    const recorder = new JournalRecorder({ store: harness.server.store, clock: systemClock, config });
    const row = (id: string, responseBody: string) => ({
      location_id: location.locationId,
      method: 'POST',
      path: '/conversations/messages',
      route: '/conversations/messages',
      query: '{}',
      status: 400,
      duration_ms: 1,
      token_id: null,
      app_id: null,
      trace_id: id,
      request_body: 'text/plain body: a\u0000b',
      response_body: responseBody,
      created_at: Date.now(),
    });
    recorder.record(row('with-nul-0000000000', 'a\u0000b'));
    recorder.record(row('plain-0000000000000', 'fine'));
    await recorder.flush();
    const entries = (await journal(location)).body.requests as { traceId: string; requestBody: string }[];
    expect(entries.map((entry) => entry.traceId).sort()).toEqual(['plain-0000000000000', 'with-nul-0000000000']);
    expect(entries.find((entry) => entry.traceId === 'with-nul-0000000000')?.requestBody).toBe(
      'text/plain body: a\uFFFDb',
    );
  });

  it('keeps exactly the newest JOURNAL_MAX_ROWS of a location, pruning its count once every tenth of them', async () => {
    const location = await createLocation(harness);
    const store = harness.server.store;
    const maxRows = 20;
    expect(pruneInterval(maxRows)).toBe(2);
    const config = {
      enabled: true,
      maxBodyBytes: 1024,
      maxReadBodyBytes: 1024,
      retentionMs: 3_600_000,
      maxRows,
      flushMs: 60_000,
    };
    const recorder = new JournalRecorder({ store, clock: systemClock, config });
    let calls = 0;
    const call = () => journalRow(location.locationId, `call-${++calls}`);
    const stored = async () =>
      (
        await store.db
          .selectFrom('request_journal')
          .select('trace_id')
          .where('location_id', '=', location.locationId)
          .orderBy('seq', 'desc')
          .execute()
      ).map((row) => row.trace_id);
    const newest = (from: number, count: number) => Array.from({ length: count }, (_, i) => `call-${from - i}`);
    const shown = async () =>
      (await listJournal(store.db, location.locationId, { limit: 100, kept: maxRows })).map((row) => row.trace_id);

    // A location the recorder has not seen yet is pruned with its first batch.
    for (let i = 0; i < 25; i++) recorder.record(call());
    await recorder.flush();
    expect(await stored()).toEqual(newest(25, 20));
    // One call more is not yet worth a prune: stored, but the journal still shows only the newest 20.
    recorder.record(call());
    await recorder.flush();
    expect(await stored()).toEqual(newest(26, 21));
    expect(await shown()).toEqual(newest(26, 20));
    // The second call since the last prune prunes again, to exactly the newest 20.
    recorder.record(call());
    await recorder.flush();
    expect(await stored()).toEqual(newest(27, 20));
    expect(await shown()).toEqual(newest(27, 20));
  });

  it('masks a token sent as a query parameter, and records nothing of admin calls', async () => {
    const location = await createLocation(harness);
    const stream = await fetch(
      `${harness.baseUrl}/conversations/events/stream?locationId=${location.locationId}&access_token=${location.token}&version=2021-07-28&follow=false`,
    ).catch(() => null);
    expect(stream?.status).toBe(200);
    await stream?.text();
    await harness.admin.get(null, `/admin/v1/locations/${location.locationId}`);
    // A call is recorded once its answer has finished, just after the client has read it.
    let read = await journal(location);
    for (let i = 0; i < 20 && read.body.requests.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      read = await journal(location);
    }
    const recorded = read.body.requests.find((r: { route: string }) => r.route === '/conversations/events/stream');
    expect(recorded.query).toMatchObject({ access_token: '[redacted]', locationId: location.locationId });
    expect(JSON.stringify(read.body)).not.toContain(location.token);
    expect(read.body.requests.some((r: { path: string }) => r.path.startsWith('/admin'))).toBe(false);
  });

  it('answers 404 for an unknown location, 422 for a bad filter, 401 without the admin token', async () => {
    const location = await createLocation(harness);
    expect((await harness.admin.get(null, '/admin/v1/locations/nowhere/requests')).status).toBe(404);
    expect((await journal(location, { status: 'bad' })).status).toBe(422);
    expect((await journal(location, { after: 'unknown' })).status).toBe(422);
    expect(
      (await harness.client(location.token).get(null, `/admin/v1/locations/${location.locationId}/requests`)).status,
    ).toBe(401);
  });
});

describe('JOURNAL=off', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness('sqlite', { env: { JOURNAL: 'off' } });
  });
  afterAll(async () => harness?.close());

  it('records nothing', async () => {
    const location = await createLocation(harness);
    await createConversation(location);
    const read = await harness.admin.get(null, `/admin/v1/locations/${location.locationId}/requests`);
    expect(read.body).toMatchObject({ requests: [], nextAfter: null });
  });
});
