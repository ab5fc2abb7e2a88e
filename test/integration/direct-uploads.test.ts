// Direct uploads: initiate → PUT to the signed URL → complete, through the official SDK where it has the method;
// the signature's expiry (on a test clock) and integrity, the size caps per channel, and the checks of complete.
import type { HighLevel } from '@gohighlevel/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { elfBytes, pngBytes, putSigned } from '../helpers/files.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { storedState } from '../helpers/remote-files.js';
import { S3_URL, s3Env } from '../helpers/s3.js';
import { expectSpec, highLevelClient } from '../helpers/sdk.js';

const MB = 1024 * 1024;

// On each engine, with the disk store, and with the S3 store when TEST_S3_URL names an S3-compatible server: the PUT
// streams into the bucket and complete checks the bytes there before the file counts.
const STORES = S3_URL ? (['disk', 's3'] as const) : (['disk'] as const);
const CASES = ENGINES.flatMap((engine) => STORES.map((store) => [engine, store] as const));

describe.each(CASES)('direct uploads on %s, %s blob store', (engine, store) => {
  let harness: Harness;
  let location: TestLocation;
  let ghl: HighLevel;
  const clock = new TestClock();

  beforeAll(async () => {
    harness = await startHarness(engine, { clock, ...(store === 's3' ? { env: s3Env() } : {}) });
    location = await createLocation(harness);
    ghl = highLevelClient(harness.baseUrl, location.token);
  });
  afterAll(() => harness?.close());

  async function initiate(body: Record<string, unknown> = {}) {
    const conversation = await createConversation(location);
    const response = await location.api.post(
      'conversations:initiate-file-upload',
      '/conversations/messages/upload/initiate',
      {
        locationId: location.locationId,
        conversationId: conversation.id,
        filename: 'logo.png',
        contentType: 'image/png',
        channel: 'SMS',
        ...body,
      },
    );
    return { conversationId: conversation.id, response };
  }

  function complete(initiated: Awaited<ReturnType<typeof initiate>>, filename = 'logo.png') {
    return location.api.post('conversations:complete-file-upload', '/conversations/messages/upload/complete', {
      uploadId: initiated.response.body.uploadId,
      filePath: initiated.response.body.filePath,
      locationId: location.locationId,
      conversationId: initiated.conversationId,
      filename,
    });
  }

  it('initiates, takes the PUT and completes through the SDK, and serves the file', async () => {
    const conversation = await createConversation(location);
    const initiated = expectSpec(
      'conversations:initiate-file-upload',
      200,
      await ghl.conversations.initiateFileUpload({
        locationId: location.locationId,
        conversationId: conversation.id,
        filename: 'logo.png',
        contentType: 'image/png',
        fileSize: pngBytes().length,
        channel: 'SMS',
      }),
    );
    expect(initiated).toMatchObject({
      uploadId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      filePath: `location/${location.locationId}/conversations/${conversation.id}/${initiated.uploadId}.png`,
      expiresAt: clock.now() + 15 * 60 * 1000,
      maxFileSize: 5 * MB,
    });
    expect(initiated.uploadUrl.startsWith(`${harness.baseUrl}/files/uploads/${initiated.uploadId}?`)).toBe(true);
    expect((await putSigned(initiated.uploadUrl, pngBytes(), 'image/png')).status).toBe(200);
    const completed = expectSpec(
      'conversations:complete-file-upload',
      200,
      await ghl.conversations.completeFileUpload({
        uploadId: initiated.uploadId,
        filePath: initiated.filePath,
        locationId: location.locationId,
        conversationId: conversation.id,
        filename: 'logo.png',
      }),
    );
    expect(completed.metadata).toMatchObject({ size: pngBytes().length, contentType: 'image/png' });
    const url = (completed.uploadedFiles as Record<string, string>)['logo.png'] as string;
    const served = await fetch(url);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(pngBytes())).toBe(true);
    // Completing again answers the same file.
    const again = await ghl.conversations.completeFileUpload({
      uploadId: initiated.uploadId,
      filePath: initiated.filePath,
      locationId: location.locationId,
      conversationId: conversation.id,
      filename: 'logo.png',
    });
    expect(again.uploadedFiles).toEqual(completed.uploadedFiles);
    // A completed upload takes no more bytes.
    expect((await putSigned(initiated.uploadUrl, pngBytes())).status).toBe(409);
  });

  it('allows 100 MB for WHATSAPP and 5 MB for other channels', async () => {
    const whatsapp = await initiate({ channel: 'WHATSAPP', filename: 'clip.mp4', contentType: 'video/mp4' });
    expect(whatsapp.response.body.maxFileSize).toBe(100 * MB);
    const sms = await initiate({ fileSize: 5 * MB });
    expect(sms.response.body.maxFileSize).toBe(5 * MB);
    const tooLarge = await initiate({ fileSize: 5 * MB + 1 });
    expect(tooLarge.response.status).toBe(413);
    expect(tooLarge.response.body.status).toBe(413);
    const wrongType = await initiate({ contentType: 'application/x-msdownload', filename: 'setup.exe' });
    expect(wrongType.response.status).toBe(415);
  });

  it('caps the PUT at the signed size, whether the length is declared or streamed', async () => {
    const before = await storedState(harness);
    const declared = await initiate({ filename: 'big.txt', contentType: 'text/plain' });
    const tooLarge = await putSigned(declared.response.body.uploadUrl, Buffer.alloc(5 * MB + 1, 'a'), 'text/plain');
    expect(tooLarge.status).toBe(413);
    // Chunked, with no Content-Length: the cap applies as the bytes arrive.
    const streamed = await initiate({ filename: 'big.txt', contentType: 'text/plain' });
    const chunks = (async function* () {
      for (let i = 0; i < 6; i += 1) yield new Uint8Array(MB).fill(0x61);
    })();
    const response = await fetch(streamed.response.body.uploadUrl, {
      method: 'PUT',
      body: chunks as unknown as RequestInit['body'],
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await storedState(harness)).toEqual(before);
    expect((await complete(streamed)).status).toBe(404);
  });

  it('refuses an expired signature, and forgets an upload not made in time', async () => {
    const initiated = await initiate();
    clock.advance(15 * 60 * 1000 + 1);
    const expired = await putSigned(initiated.response.body.uploadUrl, pngBytes());
    expect(expired.status).toBe(403);
    expect(expired.body.message).toBe('The upload URL has expired');
    const missing = await complete(initiated);
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/^File not found in storage/);
  });

  it('removes the bytes of uploads never completed, once their time has passed', async () => {
    const before = await storedState(harness);
    const abandoned = await initiate();
    await putSigned(abandoned.response.body.uploadUrl, pngBytes());
    expect((await storedState(harness)).blobs).toBe(before.blobs + 1);
    clock.advance(15 * 60 * 1000 + 60 * 60 * 1000 + 1);
    await initiate();
    expect(await storedState(harness)).toEqual(before);
    expect((await complete(abandoned)).status).toBe(404);
  });

  it('refuses a tampered signature, size limit, expiry or path', async () => {
    const before = await storedState(harness);
    const initiated = await initiate();
    const signed = new URL(initiated.response.body.uploadUrl);
    const signature = signed.searchParams.get('signature') as string;
    const variants: [string, (url: URL) => void][] = [
      [
        'signature',
        (url) => url.searchParams.set('signature', `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`),
      ],
      ['size limit', (url) => url.searchParams.set('max', String(100 * MB))],
      ['expiry', (url) => url.searchParams.set('expires', String(clock.now() + 24 * 3600 * 1000))],
      ['no signature', (url) => url.searchParams.delete('signature')],
    ];
    for (const [label, tamper] of variants) {
      const url = new URL(signed);
      tamper(url);
      const refused = await putSigned(url.toString(), pngBytes());
      expect(refused.status, label).toBe(403);
      expect(refused.body.message, label).toBe('The upload URL signature is invalid');
    }
    const other = await initiate();
    const moved = new URL(signed);
    moved.pathname = `/files/uploads/${other.response.body.uploadId}`;
    expect((await putSigned(moved.toString(), pngBytes())).status).toBe(403);
    expect(await storedState(harness)).toEqual(before);
    expect((await complete(initiated)).status).toBe(404);
  });

  it('verifies on complete that the bytes exist and are an allowed type', async () => {
    const before = await storedState(harness);
    const never = await initiate();
    expect((await complete(never)).status).toBe(404);
    const unknown = await complete({
      ...never,
      response: {
        ...never.response,
        body: { ...never.response.body, uploadId: '00000000-0000-4000-8000-000000000000' },
      },
    });
    expect(unknown.status).toBe(404);
    const disguised = await initiate({ filename: 'photo.png' });
    expect((await putSigned(disguised.response.body.uploadUrl, elfBytes(), 'image/png')).status).toBe(200);
    const refused = await complete(disguised, 'photo.png');
    expect(refused.status).toBe(415);
    expect(refused.body).toMatchObject({ status: 415, message: expect.stringContaining('not an allowed file type') });
    // The refused bytes are gone, and the upload is spent.
    expect(await storedState(harness)).toEqual(before);
    expect((await complete(disguised, 'photo.png')).status).toBe(404);
    // Another location cannot complete this location's upload.
    const other = await createLocation(harness);
    const theirs = await initiate();
    await putSigned(theirs.response.body.uploadUrl, pngBytes());
    const foreign = await other.api.post(
      'conversations:complete-file-upload',
      '/conversations/messages/upload/complete',
      {
        uploadId: theirs.response.body.uploadId,
        filePath: theirs.response.body.filePath,
        locationId: other.locationId,
        conversationId: theirs.conversationId,
        filename: 'logo.png',
      },
    );
    expect(foreign.status).toBe(404);
  });

  it('uploads multipart files through the SDK’s uploadFileAttachments', async () => {
    const conversation = await createConversation(location);
    const form = new FormData();
    form.append('conversationId', conversation.id);
    form.append('contactId', conversation.contactId);
    form.append('locationId', location.locationId);
    form.append('fileAttachment', new Blob([pngBytes()], { type: 'image/png' }), 'logo.png');
    const uploaded = expectSpec(
      'conversations:upload-file-attachments',
      200,
      await ghl.conversations.uploadFileAttachments(form, { headers: { 'Content-Type': 'multipart/form-data' } }),
    );
    expect(Object.keys(uploaded.uploadedFiles)).toEqual(['logo.png']);
  });
});
