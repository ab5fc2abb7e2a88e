// Attachment uploads through HTTP: real multipart requests, the type allow-list enforced on content, the size and
// count limits with nothing left behind, attachmentUrls fetched from a real server (and refused for private
// addresses), and the stored URLs working end to end as message attachments.
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { elfBytes, pngBytes, uploadMultipart, wavBytes } from '../helpers/files.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { send, uniquePhone } from '../helpers/messages.js';
import { type RemoteServer, startRemoteServer, storedState } from '../helpers/remote-files.js';

const MB = 1024 * 1024;
const text = (content: string) => Buffer.from(content, 'utf8');

describe.each(ENGINES)('attachment uploads on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  let remote: RemoteServer;

  beforeAll(async () => {
    remote = await startRemoteServer(
      {
        '/media/logo.png': { bytes: pngBytes(), type: 'image/png' },
        '/media/big.txt': { bytes: Buffer.alloc(6 * MB, 'a'), type: 'text/plain' },
        '/media/big-chunked.txt': { bytes: Buffer.alloc(6 * MB, 'a'), type: 'text/plain', chunked: true },
        '/media/tool.png': { bytes: elfBytes(), type: 'image/png' },
      },
      { '/media/moved.png': '/media/logo.png', '/media/sneaky.png': 'http://10.0.0.1/logo.png' },
    );
    harness = await startHarness(engine, { env: { FETCH_ALLOWED_HOSTS: '127.0.0.1', FETCH_TIMEOUT_MS: '1500' } });
    location = await createLocation(harness);
  });
  afterAll(async () => {
    await harness?.close();
    await remote?.close();
  });

  async function target() {
    const conversation = await createConversation(location);
    return {
      conversationId: conversation.id,
      contactId: conversation.contactId,
      locationId: location.locationId,
    };
  }

  async function fetchFile(url: string, headers: Record<string, string> = {}) {
    const response = await fetch(url, { headers });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  it('stores the files of fileAttachment and serves each back at its URL', async () => {
    const fields = await target();
    const before = await storedState(harness);
    const uploaded = await uploadMultipart(location, fields, [
      { name: 'logo.png', bytes: pngBytes(), type: 'image/png' },
      { name: 'notes.txt', bytes: text('Call back on Tuesday ✓\n'), type: 'text/plain' },
      { name: 'notes.txt', bytes: text('second notes\n') },
    ]);
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
    const urls = uploaded.body.uploadedFiles as Record<string, string>;
    expect(Object.keys(urls)).toEqual(['logo.png', 'notes.txt', 'notes (2).txt']);
    for (const url of Object.values(urls)) {
      expect(url.startsWith(`${harness.baseUrl}/files/`)).toBe(true);
      // Unguessable: 32 random base62 characters.
      expect(url).toMatch(/\/files\/[0-9A-Za-z]{32}\//);
    }
    const logo = await fetchFile(urls['logo.png'] as string);
    expect(logo.status).toBe(200);
    expect(logo.headers.get('content-type')).toBe('image/png');
    expect(logo.headers.get('content-length')).toBe(String(pngBytes().length));
    expect(logo.headers.get('x-content-type-options')).toBe('nosniff');
    expect(logo.bytes.equals(pngBytes())).toBe(true);
    const notes = await fetchFile(urls['notes.txt'] as string);
    expect(notes.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(notes.bytes.toString('utf8')).toBe('Call back on Tuesday ✓\n');
    expect(await storedState(harness)).toEqual({ ...before, blobs: before.blobs + 3, rows: before.rows + 3 });
    // Revalidation needs no body: the bytes behind a URL never change.
    const etag = logo.headers.get('etag') as string;
    expect((await fetchFile(urls['logo.png'] as string, { 'if-none-match': etag })).status).toBe(304);
  });

  it('refuses a NUL in a multipart field with 422 on both engines, storing nothing', async () => {
    const fields = await target();
    const before = await storedState(harness);
    for (const changed of [
      { ...fields, conversationId: `${fields.conversationId}\u0000` },
      { ...fields, contactId: `a\u0000b` },
    ]) {
      const refused = await uploadMultipart(location, changed, [
        { name: 'logo.png', bytes: pngBytes(), type: 'image/png' },
      ]);
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
      expect(JSON.stringify(refused.body.message)).toContain('must not contain NUL characters');
    }
    expect(await storedState(harness)).toEqual(before);
  });

  it('serves byte ranges of a stored file', async () => {
    const wav = wavBytes(4000);
    const uploaded = await uploadMultipart(location, await target(), [{ name: 'memo.wav', bytes: wav }]);
    const url = uploaded.body.uploadedFiles['memo.wav'] as string;
    const part = await fetchFile(url, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${wav.length}`);
    expect(part.headers.get('content-length')).toBe('100');
    expect(part.bytes.equals(wav.subarray(100, 200))).toBe(true);
    const unsatisfiable = await fetchFile(url, { range: `bytes=${wav.length}-` });
    expect(unsatisfiable.status).toBe(416);
    expect(unsatisfiable.headers.get('content-range')).toBe(`bytes */${wav.length}`);
  });

  it('refuses a file whose content is not an allowed type, whatever its name says: 415', async () => {
    const before = await storedState(harness);
    const refused = await uploadMultipart(location, await target(), [
      { name: 'fine.png', bytes: pngBytes(), type: 'image/png' },
      { name: 'holiday.png', bytes: elfBytes(), type: 'image/png' },
    ]);
    expect(refused.status).toBe(415);
    expect(refused.body).toMatchObject({
      status: 415,
      statusCode: 415,
      message: expect.stringContaining('holiday.png'),
    });
    // All or none: the valid file of the same request is not kept either.
    expect(await storedState(harness)).toEqual(before);
  });

  it('refuses a file over 5 MB with 413 and leaves nothing on disk or in the database', async () => {
    const before = await storedState(harness);
    const refused = await uploadMultipart(location, await target(), [
      { name: 'big.txt', bytes: Buffer.alloc(6 * MB, 'b'), type: 'text/plain' },
    ]);
    expect(refused.status).toBe(413);
    expect(refused.body).toMatchObject({ status: 413, message: expect.stringContaining('5 MB') });
    expect(await storedState(harness)).toEqual(before);
  });

  it('takes 5 files per request, and one for group SMS', async () => {
    const fields = await target();
    const six = Array.from({ length: 6 }, (_, i) => ({ name: `n${i}.txt`, bytes: text(`note ${i}\n`) }));
    const before = await storedState(harness);
    const tooMany = await uploadMultipart(location, fields, six);
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.status).toBe(413);
    expect(await storedState(harness)).toEqual(before);
    expect((await uploadMultipart(location, fields, six.slice(0, 5))).status).toBe(200);
    const group = await uploadMultipart(location, { ...fields, isGroupSms: 'true' }, six.slice(0, 2));
    expect(group.status).toBe(413);
    expect((await uploadMultipart(location, { ...fields, isGroupSms: 'true' }, six.slice(0, 1))).status).toBe(200);
  });

  it('checks the conversation, contact and location against the token', async () => {
    const fields = await target();
    const file = [{ name: 'a.txt', bytes: text('a\n') }];
    const other = await createLocation(harness);
    const foreign = await uploadMultipart(location, { ...fields, locationId: other.locationId }, file);
    expect(foreign.status).toBe(403);
    const unknown = await uploadMultipart(location, { ...fields, conversationId: 'nOsUcHcOnVeRsAtIoN01' }, file);
    expect(unknown.status).toBe(404);
    const someoneElse = await createContact(location);
    expect((await uploadMultipart(location, { ...fields, contactId: someoneElse.id }, file)).status).toBe(400);
    const theirs = await createConversation(other);
    expect((await uploadMultipart(location, { ...fields, conversationId: theirs.id }, file)).status).toBe(404);
    const missing = await uploadMultipart(location, { locationId: location.locationId }, file);
    expect(missing.status).toBe(422);
    expect((await uploadMultipart(location, fields, [{ ...file[0], field: 'file' } as never])).status).toBe(400);
  });

  it('answers a refused upload to a client still writing a small body, and keeps its connection', async () => {
    const fields = await target();
    const other = await createLocation(harness);
    const boundary = 'switchboard-boundary';
    // The field is whole once the next boundary arrives: the head ends with it.
    const head = `--${boundary}\r\ncontent-disposition: form-data; name="locationId"\r\n\r\n${other.locationId}\r\n--${boundary}\r\n`;
    const rest =
      `content-disposition: form-data; name="conversationId"\r\n\r\n${fields.conversationId}\r\n` +
      `--${boundary}\r\ncontent-disposition: form-data; name="fileAttachment"; filename="a.txt"\r\n\r\n` +
      `${'a'.repeat(64 * 1024)}\r\n--${boundary}--\r\n`;
    const { port } = new URL(location.api.baseUrl);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    // Only the part naming another location is sent: the answer comes before the rest of the body is written.
    socket.write(
      `POST /conversations/messages/upload HTTP/1.1\r\nhost: 127.0.0.1\r\nversion: 2021-07-28\r\n` +
        `authorization: Bearer ${location.token}\r\ncontent-type: multipart/form-data; boundary=${boundary}\r\n` +
        `content-length: ${Buffer.byteLength(head) + Buffer.byteLength(rest)}\r\n\r\n${head}`,
    );
    await expect
      .poll(() => received, { timeout: 5000 })
      .toMatch(/^HTTP\/1\.1 403[\s\S]*\r\n\r\n[\s\S]*"statusCode":403/);
    expect(received).not.toMatch(/connection: close/i);
    // The rest is written after the answer: it is read and discarded, and the connection serves one more request.
    received = '';
    socket.write(rest);
    socket.write('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
    await expect.poll(() => received, { timeout: 5000 }).toMatch(/^HTTP\/1\.1 200/);
    socket.destroy();
  });

  it('fetches attachmentUrls server-side from an allowed host, following redirects', async () => {
    const fields = await target();
    const uploaded = await uploadMultipart(location, { ...fields, attachmentUrls: [`${remote.url}/media/moved.png`] }, [
      { name: 'notes.txt', bytes: text('see logo\n') },
    ]);
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
    const urls = uploaded.body.uploadedFiles as Record<string, string>;
    expect(Object.keys(urls).sort()).toEqual(['logo.png', 'notes.txt']);
    expect((await fetchFile(urls['logo.png'] as string)).bytes.equals(pngBytes())).toBe(true);
    // As a JSON body too (what the SDK sends for a plain object).
    const json = await location.api.post('conversations:upload-file-attachments', '/conversations/messages/upload', {
      ...fields,
      attachmentUrls: [`${remote.url}/media/logo.png`],
    });
    expect(json.status).toBe(200);
    expect(Object.keys(json.body.uploadedFiles)).toEqual(['logo.png']);
  });

  it('refuses attachmentUrls to private, loopback and reserved addresses, before and after redirects', async () => {
    const fields = await target();
    const before = await storedState(harness);
    const port = new URL(remote.url).port;
    for (const url of [
      'http://10.0.0.1/logo.png',
      'http://169.254.169.254/latest/meta-data/',
      `http://[::1]:${port}/media/logo.png`,
      'http://[::ffff:192.168.0.1]/logo.png',
      `${remote.url}/media/sneaky.png`,
      'file:///etc/passwd',
      'ftp://example.com/logo.png',
    ]) {
      const refused = await location.api.post(
        'conversations:upload-file-attachments',
        '/conversations/messages/upload',
        { ...fields, attachmentUrls: [url] },
      );
      expect(refused.status, url).toBe(400);
      expect(refused.body.message, url).toMatch(/^attachmentUrls\[0\] /);
    }
    expect(await storedState(harness)).toEqual(before);
  });

  it('caps remote files while they stream, refuses other types, and times out', async () => {
    const fields = await target();
    const before = await storedState(harness);
    const upload = (path: string) =>
      location.api.post('conversations:upload-file-attachments', '/conversations/messages/upload', {
        ...fields,
        attachmentUrls: [`${remote.url}${path}`],
      });
    expect((await upload('/media/big.txt')).status).toBe(413);
    expect((await upload('/media/big-chunked.txt')).status).toBe(413);
    expect((await upload('/media/tool.png')).status).toBe(415);
    expect((await upload('/media/none.png')).status).toBe(400);
    const stalled = await upload('/stall');
    expect(stalled.status).toBe(400);
    expect(stalled.body.message).toMatch(/could not be fetched/);
    expect(await storedState(harness)).toEqual(before);
  });

  it('makes URLs that send, inbound and attachments-replace take, and that are served back', async () => {
    const contact = await createContact(location, { phone: uniquePhone() });
    const conversation = await createConversation(location, contact.id);
    const fields = { conversationId: conversation.id, contactId: contact.id, locationId: location.locationId };
    const uploaded = await uploadMultipart(location, fields, [{ name: 'logo.png', bytes: pngBytes() }]);
    const url = uploaded.body.uploadedFiles['logo.png'] as string;

    const sent = await send(location, { type: 'SMS', contactId: contact.id, attachments: [url] });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    await harness.server.services.jobs.runDue();
    const outbox = await harness.admin.get(null, `/admin/v1/locations/${location.locationId}/outbox`, {
      query: { limit: 100 },
    });
    const delivered = outbox.body.outbox.find((record: any) => record.messageId === sent.body.messageId);
    expect(delivered.payload.attachments).toEqual([url]);
    const read = await location.api.get('conversations:get-message', `/conversations/messages/${sent.body.messageId}`);
    expect(read.body.message.attachments).toEqual([url]);
    // What the provider (or the recipient) fetches is the file itself.
    const served = await fetchFile(delivered.payload.attachments[0]);
    expect(served.status).toBe(200);
    expect(served.bytes.equals(pngBytes())).toBe(true);

    const inbound = await location.api.post('conversations:add-an-inbound-message', '/conversations/messages/inbound', {
      type: 'SMS',
      conversationId: conversation.id,
      attachments: [url],
    });
    expect(inbound.status).toBe(200);
    const call = await location.api.post('conversations:add-an-outbound-message', '/conversations/messages/outbound', {
      type: 'Call',
      conversationId: conversation.id,
    });
    const replaced = await location.api.put(
      'conversations:add-message-attachments',
      `/conversations/messages/${call.body.messageId}/attachments`,
      { attachments: [url] },
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body.attachments).toEqual([url]);
  });

  it('answers 404 for a file URL that names no file', async () => {
    const response = await fetch(`${harness.baseUrl}/files/${'x'.repeat(32)}/logo.png`);
    expect(response.status).toBe(404);
    expect((await fetch(`${harness.baseUrl}/files/..%2F..%2Fetc/passwd`)).status).toBe(404);
  });
});
