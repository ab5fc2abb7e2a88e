// Stored files end to end on each blob store (the disk; S3 when TEST_S3_URL names a real S3-compatible server):
// uploads and direct uploads served back whole and by range (a call recording), a direct upload checked by content
// before it counts, the bytes of deleted messages and conversations removed, and orphaned blobs (written, then
// their transaction never committed) collected.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlobStore } from '../../src/files/index.js';
import type { BlobStore } from '../../src/files/port.js';
import { enqueueBlobCollection } from '../../src/jobs/collect-blob.js';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { loggedEvents } from '../helpers/event-log.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import {
  completeUpload,
  directUpload,
  elfBytes,
  initiateUpload,
  loggedCall,
  pngBytes,
  putSigned,
  uploadMultipart,
  wavBytes,
} from '../helpers/files.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { send, uniquePhone } from '../helpers/messages.js';
import { S3_URL, s3Env } from '../helpers/s3.js';

const HOUR = 3600 * 1000;
const STORES = S3_URL ? (['disk', 's3'] as const) : (['disk'] as const);
const CASES = ENGINES.flatMap((engine) => STORES.map((store) => [engine, store] as const));

describe.each(CASES)('stored files on %s with the %s blob store', (engine, store) => {
  const clock = new TestClock();
  let harness: Harness;
  let location: TestLocation;
  let blobs: BlobStore;

  beforeAll(async () => {
    harness = await startHarness(engine, {
      clock,
      env: { WORKER_ENABLED: 'false', ...(store === 's3' ? s3Env() : {}) },
    });
    location = await createLocation(harness);
    blobs = createBlobStore(harness.server.services.config);
  });
  afterAll(() => harness?.close());

  const runJobs = () => harness.server.services.jobs.runDue();

  async function download(url: string, headers: Record<string, string> = {}) {
    const response = await fetch(url, { headers });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  async function keyOf(url: string): Promise<string> {
    const id = /\/files\/([0-9A-Za-z]{32})/.exec(url)?.[1] ?? '';
    const row = await harness.server.store.db
      .selectFrom('files')
      .select('storage_key')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return row.storage_key;
  }

  async function uploaded(conversationId: string, bytes = pngBytes(), name = 'logo.png') {
    const response = await uploadMultipart(location, { conversationId, locationId: location.locationId }, [
      { name, bytes, type: 'image/png' },
    ]);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.uploadedFiles[name] as string;
  }

  it('serves an upload back, and a recording by byte range', async () => {
    expect(await blobs.check()).toBeUndefined();
    const conversation = await createConversation(location);
    const url = await uploaded(conversation.id);
    expect((await download(url)).bytes.equals(pngBytes())).toBe(true);

    const wav = wavBytes(6000);
    const recording = await directUpload(location, {
      conversationId: conversation.id,
      filename: 'call.wav',
      contentType: 'audio/wav',
      bytes: wav,
    });
    const messageId = await loggedCall(location, conversation.id, [recording.url]);
    const path = `/conversations/messages/${messageId}/locations/${location.locationId}/recording`;
    const auth = { authorization: `Bearer ${location.token}`, version: '2021-07-28' };
    const part = await download(new URL(path, harness.baseUrl).toString(), { ...auth, range: 'bytes=1000-1999' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${wav.length}`);
    expect(part.bytes.equals(wav.subarray(1000, 2000))).toBe(true);
    const tail = await download(new URL(path, harness.baseUrl).toString(), { ...auth, range: 'bytes=-44' });
    expect(tail.bytes.equals(wav.subarray(wav.length - 44))).toBe(true);
  });

  it('checks a direct upload by its content before it counts, and removes refused bytes', async () => {
    const conversation = await createConversation(location);
    const file = { conversationId: conversation.id, filename: 'logo.png', contentType: 'image/png' };
    const initiated = await initiateUpload(location, file);
    expect(initiated.status).toBe(200);
    expect((await putSigned(initiated.body.uploadUrl, elfBytes(), 'image/png')).status).toBe(200);
    const completed = await completeUpload(location, initiated.body, conversation.id, 'logo.png');
    expect(completed.status).toBe(415);
    expect(await blobs.size(initiated.body.uploadId)).toBeNull();
  });

  it('removes the files of a cancelled scheduled message, keeping those another message still carries', async () => {
    const contact = await createContact(location, { phone: uniquePhone() });
    const conversation = await createConversation(location, contact.id);
    const only = await uploaded(conversation.id);
    const shared = await uploaded(conversation.id, pngBytes(), 'shared.png');
    const [onlyKey, sharedKey] = [await keyOf(only), await keyOf(shared)];
    const base = { type: 'SMS', contactId: conversation.contactId, message: 'see attached' };
    expect((await send(location, { ...base, attachments: [shared] })).status).toBe(200);
    const scheduled = await send(location, {
      ...base,
      attachments: [only, shared],
      scheduledTimestamp: Math.floor((clock.now() + HOUR) / 1000),
    });
    expect(scheduled.status).toBe(200);
    const path = `/conversations/messages/${scheduled.body.messageId}/schedule`;
    expect((await location.api.delete('conversations:cancel-scheduled-message', path)).status).toBe(200);
    expect((await download(only)).status).toBe(404);
    await runJobs();
    expect(await blobs.size(onlyKey)).toBeNull();
    expect(await blobs.size(sharedKey)).toBe(pngBytes().length);
    expect((await download(shared)).bytes.equals(pngBytes())).toBe(true);
  });

  it('removes the files of a deleted conversation', async () => {
    const conversation = await createConversation(location);
    const url = await uploaded(conversation.id);
    const key = await keyOf(url);
    const deleted = await location.api.delete('conversations:delete-conversation', `/conversations/${conversation.id}`);
    expect(deleted.status).toBe(200);
    await runJobs();
    expect(await blobs.size(key)).toBeNull();
    expect((await download(url)).status).toBe(404);
  });

  it("removes the files of a deleted contact's conversation, and tells the conversation's deletion", async () => {
    const conversation = await createConversation(location);
    const url = await uploaded(conversation.id);
    const key = await keyOf(url);
    const deleted = await location.api.delete('contacts:delete-contact', `/contacts/${conversation.contactId}`);
    expect(deleted.status).toBe(200);
    await runJobs();
    expect(await blobs.size(key)).toBeNull();
    expect((await download(url)).status).toBe(404);
    const told = (await loggedEvents(harness, location.locationId)).filter(
      (event) => event.type === 'conversation.deleted' && event.payload.conversation?.id === conversation.id,
    );
    expect(told).toHaveLength(1);
  });

  it('removes a file a call message no longer names once attachments are replaced, unless another message names it', async () => {
    const contact = await createContact(location, { phone: uniquePhone() });
    const conversation = await createConversation(location, contact.id);
    const [dropped, shared, staying] = [
      await uploaded(conversation.id),
      await uploaded(conversation.id, pngBytes(), 'shared.png'),
      await uploaded(conversation.id, pngBytes(), 'staying.png'),
    ];
    const [droppedKey, sharedKey] = [await keyOf(dropped), await keyOf(shared)];
    const sms = { type: 'SMS', contactId: contact.id, message: 'see attached', attachments: [shared] };
    expect((await send(location, sms)).status).toBe(200);
    const call = await location.api.post('conversations:add-an-outbound-message', '/conversations/messages/outbound', {
      type: 'Call',
      conversationId: conversation.id,
    });
    const path = `/conversations/messages/${call.body.messageId}/attachments`;
    const replace = (attachments: string[]) =>
      location.api.put('conversations:add-message-attachments', path, { attachments });
    expect((await replace([dropped, shared, staying])).status).toBe(200);
    expect((await replace([staying])).status).toBe(200);
    await runJobs();
    expect(await blobs.size(droppedKey)).toBeNull();
    expect((await download(dropped)).status).toBe(404);
    expect(await blobs.size(sharedKey)).toBe(pngBytes().length);
    expect((await download(staying)).bytes.equals(pngBytes())).toBe(true);
  });

  it('keeps a file that a message of another conversation still attaches, whichever conversation or message goes', async () => {
    const home = await createConversation(location);
    const url = await uploaded(home.id);
    const key = await keyOf(url);
    // Sent in two other conversations (other contacts), and scheduled in a third.
    const [first, second, third] = [
      await createContact(location, { phone: uniquePhone() }),
      await createContact(location, { phone: uniquePhone() }),
      await createContact(location, { phone: uniquePhone() }),
    ];
    const message = { type: 'SMS', message: 'see attached', attachments: [url] };
    const sent = await send(location, { ...message, contactId: first.id });
    expect(sent.status).toBe(200);
    expect((await send(location, { ...message, contactId: second.id })).status).toBe(200);
    const scheduled = await send(location, {
      ...message,
      contactId: third.id,
      scheduledTimestamp: Math.floor((clock.now() + HOUR) / 1000),
    });
    expect(scheduled.status).toBe(200);
    const stillThere = async () => {
      await runJobs();
      expect(await blobs.size(key)).toBe(pngBytes().length);
      expect((await download(url)).bytes.equals(pngBytes())).toBe(true);
    };

    // The conversation it was uploaded to goes: messages elsewhere still attach it.
    expect((await location.api.delete('conversations:delete-conversation', `/conversations/${home.id}`)).status).toBe(
      200,
    );
    await stillThere();
    // A scheduled message attaching it is cancelled: sent ones elsewhere still attach it.
    const cancel = `/conversations/messages/${scheduled.body.messageId}/schedule`;
    expect((await location.api.delete('conversations:cancel-scheduled-message', cancel)).status).toBe(200);
    await stillThere();
    // One of the conversations carrying it goes: the other still attaches it.
    const firstPath = `/conversations/${sent.body.conversationId}`;
    expect((await location.api.delete('conversations:delete-conversation', firstPath)).status).toBe(200);
    await stillThere();
  });

  it('collects a blob whose transaction never committed, once that transaction is surely over', async () => {
    const conversation = await createConversation(location);
    const kept = await keyOf(await uploaded(conversation.id));
    // What persisting a file does up to the moment its server dies: queue the collection, put the bytes in place.
    const orphan = randomBytes(16).toString('hex');
    const db = harness.server.store.db;
    await enqueueBlobCollection(
      db,
      [{ locationId: location.locationId, key: orphan }],
      clock.now() + HOUR,
      clock.now(),
    );
    await (await blobs.stage(Readable.from([pngBytes()]))).commit(orphan);
    await runJobs();
    expect(await blobs.size(orphan)).toBe(pngBytes().length);
    clock.advance(HOUR + 1000);
    await runJobs();
    expect(await blobs.size(orphan)).toBeNull();
    expect(await blobs.size(kept)).toBe(pngBytes().length);
  });
});
