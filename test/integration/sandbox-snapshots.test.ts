// Snapshots as an integrator's CI uses them: take one of a prepared location, restore it (elsewhere, or after the
// location is gone) with the same ids, tokens and file bytes; a bad file is refused with nothing written.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createLocation, createProvider, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { send, uniquePhone } from '../helpers/messages.js';
import { S3_URL, s3Env } from '../helpers/s3.js';
import { populateLocation, storedFiles } from '../helpers/sandbox.js';
import { loadSnapshot, saveSnapshot, snapshotText } from '../helpers/snapshots.js';

/** A location with a provider, a contact who wrote in, a scheduled send, a review and a stored file. */
async function populate(harness: Harness, location: TestLocation) {
  await createProvider(harness, location, { isDefault: true });
  const { conversationId, fileUrl } = await populateLocation(location);
  const review = await harness.admin.patch(
    null,
    `/admin/v1/locations/${location.locationId}/conversations/${conversationId}`,
    { review: { reviewId: `review-${location.locationId}`, rating: 5, comment: 'Great' }, followers: ['user-1'] },
  );
  expect(review.status, JSON.stringify(review.body)).toBe(200);
  return { conversationId, fileUrl };
}

async function fileBytes(url: string, token: string): Promise<Buffer> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe.each(ENGINES)('sandbox snapshots (%s)', (engine) => {
  let harness: Harness;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'switchboard-snapshot-'));
    harness = await startHarness(engine, { env: { DATA_DIR: dataDir, SNAPSHOT_MAX_BYTES: String(1024 * 1024) } });
  });
  afterAll(async () => {
    await harness?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('restores a deleted location with the same ids, tokens and file bytes, and snapshots it the same again', async () => {
    const location = await createLocation(harness);
    const { conversationId, fileUrl } = await populate(harness, location);
    const bytesBefore = await fileBytes(fileUrl, location.token);

    const first = await saveSnapshot(harness, location.locationId);
    expect(first.status).toBe(200);
    const text = snapshotText(first.bytes);
    expect(JSON.parse(text.split('\n')[0] as string)).toEqual({
      format: 'switchboard-snapshot',
      version: 1,
      locationId: location.locationId,
    });
    expect(text).toContain('"table":"conversation_reviews"');
    expect(text).toContain('"blob":');

    expect((await harness.admin.delete(null, `/admin/v1/locations/${location.locationId}`)).status).toBe(200);
    const gone = await location.api.get(null, `/conversations/${conversationId}`);
    expect(gone.status).toBe(401);

    const restored = await loadSnapshot(harness, first.bytes);
    expect(restored.status, JSON.stringify(restored.body)).toBe(201);
    expect(restored.body).toMatchObject({
      success: true,
      locationId: location.locationId,
      replaced: false,
      restored: { contacts: 1, conversations: 1, messages: 3, files: 1, conversation_reviews: 1 },
    });

    // The same token works; the same ids answer; the file URL serves the same bytes.
    const conversation = await location.api.get('conversations:get-conversation', `/conversations/${conversationId}`);
    expect(conversation.status).toBe(200);
    const messages = await location.api.get(null, `/conversations/${conversationId}/messages`);
    expect(messages.status).toBe(200);
    expect((await fileBytes(fileUrl, location.token)).equals(bytesBefore)).toBe(true);

    const second = await saveSnapshot(harness, location.locationId);
    expect(snapshotText(second.bytes)).toBe(text);
  });

  it('refuses a location that exists (409) unless replace=true, which replaces it whole', async () => {
    const location = await createLocation(harness);
    const { conversationId } = await populate(harness, location);
    const saved = await saveSnapshot(harness, location.locationId);

    const refused = await loadSnapshot(harness, saved.bytes);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ statusCode: 409 });

    // What was added after the snapshot goes with the replaced location.
    await createContact(location, { phone: uniquePhone() });
    const blobsBefore = storedFiles(dataDir, 'blobs').length;
    const replaced = await loadSnapshot(harness, saved.bytes, '?replace=true');
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(201);
    expect(replaced.body.replaced).toBe(true);
    expect(storedFiles(dataDir, 'blobs').length).toBe(blobsBefore);
    const contacts = await location.api.get(null, '/contacts/', { query: { locationId: location.locationId } });
    expect(contacts.body.contacts).toHaveLength(1);
    expect((await location.api.get(null, `/conversations/${conversationId}`)).status).toBe(200);
    expect(snapshotText((await saveSnapshot(harness, location.locationId)).bytes)).toBe(snapshotText(saved.bytes));
  });

  it('refuses corrupt, truncated, newer and invalid snapshots with a 422 and writes nothing', async () => {
    const location = await createLocation(harness);
    await populate(harness, location);
    const saved = await saveSnapshot(harness, location.locationId);
    expect((await harness.admin.delete(null, `/admin/v1/locations/${location.locationId}`)).status).toBe(200);
    const blobsBefore = storedFiles(dataDir, 'blobs').length;
    const lines = snapshotText(saved.bytes).split('\n');
    const withLine = (index: number, edit: (value: any) => unknown) =>
      gzipSync(lines.map((line, at) => (at === index ? JSON.stringify(edit(JSON.parse(line))) : line)).join('\n'));
    const contactLine = lines.findIndex((line) => line.startsWith('{"table":"contacts"'));

    const bad: [string, Buffer][] = [
      ['not gzip', Buffer.from('this is not a snapshot')],
      ['truncated gzip', saved.bytes.subarray(0, Math.floor(saved.bytes.length / 2))],
      ['cut at a line', gzipSync(lines.slice(0, -3).join('\n'))],
      ['newer version', withLine(0, (header) => ({ ...header, version: 99 }))],
      ['another format', withLine(0, (header) => ({ ...header, format: 'tarball' }))],
      ['a bad column', withLine(contactLine, (line) => ({ ...line, row: { ...line.row, dnd: 'yes' } }))],
      ['an unknown column', withLine(contactLine, (line) => ({ ...line, row: { ...line.row, secret: 1 } }))],
      ['another location', withLine(contactLine, (line) => ({ ...line, row: { ...line.row, location_id: 'x' } }))],
      ['empty', Buffer.alloc(0)],
    ];
    for (const [what, bytes] of bad) {
      const answer = await loadSnapshot(harness, bytes);
      expect(answer.status, `${what}: ${JSON.stringify(answer.body)}`).toBe(422);
      expect(answer.body).toMatchObject({ statusCode: 422 });
      expect((await harness.admin.get(null, `/admin/v1/locations/${location.locationId}`)).status, what).toBe(404);
    }
    expect(storedFiles(dataDir, 'blobs').length).toBe(blobsBefore);
    // The untouched file still loads.
    expect((await loadSnapshot(harness, saved.bytes)).status).toBe(201);
  });

  it('answers 404 for an unknown location, 413 beyond SNAPSHOT_MAX_BYTES, and 401 without the admin token', async () => {
    expect((await saveSnapshot(harness, 'no-such-location')).status).toBe(404);
    expect((await loadSnapshot(harness, Buffer.alloc(1024 * 1024 + 1))).status).toBe(413);
    const anonymous = await fetch(new URL('/admin/v1/snapshots', harness.baseUrl), { method: 'POST', body: 'x' });
    expect(anonymous.status).toBe(401);
  });
});

describe.skipIf(!S3_URL)('sandbox snapshots with files on S3', () => {
  it('takes the bytes from the bucket and puts them back', async () => {
    const harness = await startHarness('sqlite', { env: s3Env() });
    try {
      const location = await createLocation(harness);
      const { fileUrl } = await populate(harness, location);
      const bytesBefore = await fileBytes(fileUrl, location.token);
      const saved = await saveSnapshot(harness, location.locationId);
      expect(saved.status).toBe(200);
      expect((await harness.admin.delete(null, `/admin/v1/locations/${location.locationId}`)).status).toBe(200);
      expect((await loadSnapshot(harness, saved.bytes)).status).toBe(201);
      expect((await fileBytes(fileUrl, location.token)).equals(bytesBefore)).toBe(true);
      expect(snapshotText((await saveSnapshot(harness, location.locationId)).bytes)).toBe(snapshotText(saved.bytes));
    } finally {
      await harness.close();
    }
  });
});

describe.each(ENGINES)('a restored scheduled send (%s)', (engine) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(engine, { env: { CLOCK: 'virtual', CLOCK_START: '2030-03-01T09:00:00.000Z' } });
  });
  afterAll(async () => harness?.close());

  it('still goes out when its time comes, after the location was deleted and restored', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location, { phone: uniquePhone() });
    const at = Date.parse((await harness.admin.get(null, '/admin/v1/clock')).body.now);
    const scheduled = await send(location, {
      type: 'SMS',
      contactId: contact.id,
      message: 'in an hour',
      scheduledTimestamp: Math.floor(at / 1000) + 3600,
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
    const saved = await saveSnapshot(harness, location.locationId);
    expect(snapshotText(saved.bytes)).toContain('"table":"jobs"');
    expect((await harness.admin.delete(null, `/admin/v1/locations/${location.locationId}`)).status).toBe(200);
    expect((await loadSnapshot(harness, saved.bytes)).status).toBe(201);

    const moved = await harness.admin.post(null, '/admin/v1/clock', { advanceMs: 3_600_000 });
    expect(moved.status).toBe(200);
    const message = await location.api.get(
      'conversations:get-message',
      `/conversations/messages/${scheduled.body.messageId}`,
    );
    expect(message.body.message.status).toBe('delivered');
  });
});
