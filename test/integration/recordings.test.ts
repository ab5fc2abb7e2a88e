// Call recordings and transcriptions: the recording streamed as audio/x-wav with byte ranges (stored, or fetched
// from the call provider), the errors of a call without one, and a transcript's round trip, as JSON and as text.
import { text } from 'node:stream/consumers';
import type { HighLevel } from '@gohighlevel/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/clock.js';
import { TranscriptionService } from '../../src/domain/transcriptions.js';
import type { Transcriber } from '../../src/transcription/port.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { directUpload, loggedCall, SENTENCES, storeTranscription, wavBytes } from '../helpers/files.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { send, uniquePhone } from '../helpers/messages.js';
import { type RemoteServer, startRemoteServer } from '../helpers/remote-files.js';
import { highLevelClient } from '../helpers/sdk.js';

describe.each(ENGINES)('recordings and transcriptions on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  let remote: RemoteServer;
  let ghl: HighLevel;
  const wav = wavBytes(6000);

  beforeAll(async () => {
    remote = await startRemoteServer({ '/calls/rec-1.wav': { bytes: wav, type: 'audio/wav' } });
    harness = await startHarness(engine, { env: { FETCH_ALLOWED_HOSTS: '127.0.0.1' } });
    location = await createLocation(harness);
    ghl = highLevelClient(harness.baseUrl, location.token);
  });
  afterAll(async () => {
    await harness?.close();
    await remote?.close();
  });

  const recordingPath = (messageId: string, locationId = location.locationId) =>
    `/conversations/messages/${messageId}/locations/${locationId}/recording`;
  const transcriptionPath = (messageId: string) =>
    `/conversations/locations/${location.locationId}/messages/${messageId}/transcription`;

  async function getRecording(messageId: string, headers: Record<string, string> = {}) {
    const response = await fetch(new URL(recordingPath(messageId), harness.baseUrl), {
      headers: { authorization: `Bearer ${location.token}`, version: '2021-07-28', ...headers },
    });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  async function recordedCall(): Promise<string> {
    const conversation = await createConversation(location);
    const { url } = await directUpload(location, {
      conversationId: conversation.id,
      filename: 'call.wav',
      contentType: 'audio/wav',
      bytes: wav,
    });
    return loggedCall(location, conversation.id, [url]);
  }

  it('streams a stored recording as audio/x-wav, whole or by byte range', async () => {
    const messageId = await recordedCall();
    const whole = await getRecording(messageId);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/x-wav');
    expect(whole.headers.get('content-disposition')).toBe('attachment; filename=audio.wav');
    expect(whole.headers.get('content-length')).toBe(String(wav.length));
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.bytes.equals(wav)).toBe(true);

    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      ['bytes=1000-', 1000, wav.length - 1],
      ['bytes=-44', wav.length - 44, wav.length - 1],
      [`bytes=5000-${wav.length * 2}`, 5000, wav.length - 1],
    ];
    for (const [range, start, end] of cases) {
      const part = await getRecording(messageId, { range });
      expect(part.status, range).toBe(206);
      expect(part.headers.get('content-range'), range).toBe(`bytes ${start}-${end}/${wav.length}`);
      expect(part.headers.get('content-length'), range).toBe(String(end - start + 1));
      expect(part.bytes.equals(wav.subarray(start, end + 1)), range).toBe(true);
    }
    const beyond = await getRecording(messageId, { range: `bytes=${wav.length}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${wav.length}`);
    // Several ranges, or a malformed header: the whole file, as RFC 9110 allows.
    for (const range of ['bytes=0-1,5-9', 'items=0-1', 'bytes=9-2']) {
      expect((await getRecording(messageId, { range })).status, range).toBe(200);
    }
  });

  it('streams a recording the call provider hosts, passing the range on', async () => {
    const conversation = await createConversation(location);
    const messageId = await loggedCall(location, conversation.id);
    const replaced = await location.api.put(
      'conversations:add-message-attachments',
      `/conversations/messages/${messageId}/attachments`,
      { attachments: [`${remote.url}/calls/rec-1.wav`] },
    );
    expect(replaced.status).toBe(200);
    const whole = await getRecording(messageId);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/x-wav');
    expect(whole.bytes.equals(wav)).toBe(true);
    const part = await getRecording(messageId, { range: 'bytes=10-19' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${wav.length}`);
    expect(part.bytes.equals(wav.subarray(10, 20))).toBe(true);
    expect(remote.ranges).toContain('bytes=10-19');
  });

  it('answers 400 CONVERSATIONS_MSG_RECORDING_NOT_FOUND for a call without one, or a message that is no call', async () => {
    const conversation = await createConversation(location);
    const bare = await loggedCall(location, conversation.id);
    const refused = await loggedCall(location, conversation.id, ['http://10.1.2.3/recording.wav']);
    const contact = await createContact(location, { phone: uniquePhone() });
    const sms = await send(location, { type: 'SMS', contactId: contact.id, message: 'no call' });
    for (const messageId of [bare, refused, sms.body.messageId as string]) {
      const response = await location.api.get('conversations:get-message-recording', recordingPath(messageId));
      expect(response.status, messageId).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, canonicalCode: 'CONVERSATIONS_MSG_RECORDING_NOT_FOUND' });
    }
    const unknown = await location.api.get(
      'conversations:get-message-recording',
      recordingPath('nOsUcHmEsSaGe0000001'),
    );
    expect(unknown.status).toBe(404);
    const other = await createLocation(harness);
    const theirs = await loggedCall(other, (await createConversation(other)).id);
    expect((await location.api.get('conversations:get-message-recording', recordingPath(theirs))).status).toBe(404);
  });

  it('stores a transcript and answers it as sentences and as a text file', async () => {
    const messageId = await loggedCall(location, (await createConversation(location)).id);
    const before = await location.api.get('conversations:get-message-transcription', transcriptionPath(messageId));
    expect(before.status).toBe(400);
    expect(before.body.canonicalCode).toBe('CONVERSATIONS_MSG_TRANSCRIPTION_NOT_FOUND');

    // Sent out of order: stored in reading order.
    const stored = await storeTranscription(location, messageId, [...SENTENCES].reverse());
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);
    expect(stored.body).toMatchObject({ success: true, messageId, sentences: 2 });
    const sentences = await ghl.conversations.getMessageTranscription({ locationId: location.locationId, messageId });
    expect(sentences).toEqual(SENTENCES);

    const download = await fetch(new URL(`${transcriptionPath(messageId)}/download`, harness.baseUrl), {
      headers: { authorization: `Bearer ${location.token}`, version: '2021-07-28' },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="transcription.txt"');
    expect(await download.text()).toBe(
      '[00:00:00.500 - 00:00:02.250] Agent: Thanks for calling, how can I help?\n' +
        '[00:00:02.500 - 00:01:01.040] Channel 2: I would like a refund.\n',
    );

    // A new transcript replaces the old one.
    const replaced = await storeTranscription(location, messageId, [
      { ...SENTENCES[0], transcript: 'Hello?' } as never,
    ]);
    expect(replaced.status).toBe(200);
    const after = await location.api.get('conversations:get-message-transcription', transcriptionPath(messageId));
    expect(after.body).toEqual([{ ...SENTENCES[0], transcript: 'Hello?' }]);
  });

  it('refuses a transcript for a message that is no call, or with times out of order', async () => {
    const contact = await createContact(location, { phone: uniquePhone() });
    const sms = await send(location, { type: 'SMS', contactId: contact.id, message: 'no call' });
    expect((await storeTranscription(location, sms.body.messageId)).status).toBe(403);
    expect((await storeTranscription(location, 'nOsUcHmEsSaGe0000001')).status).toBe(404);
    const call = await loggedCall(location, (await createConversation(location)).id);
    const backwards = await storeTranscription(location, call, [
      { ...SENTENCES[0], startTime: 5, endTime: 1 } as never,
    ]);
    expect(backwards.status).toBe(422);
    expect(backwards.body.message).toEqual(['sentences.0.endTime must not be less than sentences.0.startTime']);
  });

  it('transcribes a recording through the transcriber port when an engine is plugged in', async () => {
    const messageId = await recordedCall();
    let heard = 0;
    const transcriber: Transcriber = {
      async transcribe(recording) {
        heard = (await text(recording.body)).length;
        expect(recording.contentType).toBe('audio/wav');
        return [{ mediaChannel: 1, sentenceIndex: 0, startTime: 0, endTime: 0.75, transcript: 'Hi', confidence: 0.5 }];
      },
    };
    const service = new TranscriptionService({
      store: harness.server.store,
      clock: systemClock,
      recordings: harness.server.services.recordings,
      transcriber,
    });
    const sentences = await service.sentences(location.locationId, messageId);
    expect(sentences).toHaveLength(1);
    expect(heard).toBeGreaterThan(0);
    // Kept: the API now answers it without an engine.
    const read = await location.api.get('conversations:get-message-transcription', transcriptionPath(messageId));
    expect(read.body).toEqual(sentences);
  });
});
