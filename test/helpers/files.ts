// Helpers for file tests: real file contents, multipart uploads over HTTP, and direct uploads (initiate → PUT →
// complete), each answer checked against the spec as the harness client does.
import type { TestLocation } from './factories.js';
import { type Response, SpecMismatch } from './harness.js';
import { specErrors } from './spec-validator.js';

/** A valid PCM WAV file: 8 kHz, 16-bit mono, a rising ramp so every byte range differs. */
export function wavBytes(samples = 8000): Buffer {
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i += 1) data.writeInt16LE((i * 7) % 32768, i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** A 1×1 PNG. */
export function pngBytes(): Buffer {
  return Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
}

/** The start of an x86-64 ELF executable, padded with code-like bytes. */
export function elfBytes(size = 4096): Buffer {
  const bytes = Buffer.alloc(size, 0x90);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00, 0x3e, 0x00]).copy(
    bytes,
  );
  return bytes;
}

export interface UploadFile {
  name: string;
  bytes: Buffer;
  type?: string;
  field?: string;
}

function checked(operation: string, response: { status: number; body: unknown; text: string }, label: string) {
  const errors = specErrors('conversations', operation, response.status, response.body);
  if (errors.length > 0) {
    throw new SpecMismatch(
      `${label} → ${response.status} does not match ${operation}:\n  ${errors.join('\n  ')}\n${response.text}`,
    );
  }
}

/** POST /conversations/messages/upload as multipart/form-data, as a browser or the SDK sends it. */
export async function uploadMultipart(
  location: TestLocation,
  fields: Record<string, string | string[]>,
  files: UploadFile[],
  headers: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) form.append(name, item);
  }
  for (const file of files) {
    form.append(file.field ?? 'fileAttachment', new Blob([file.bytes], { type: file.type ?? '' }), file.name);
  }
  const response = await fetch(new URL('/conversations/messages/upload', location.api.baseUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${location.token}`, version: '2021-07-28', ...headers },
    body: form,
  });
  const text = await response.text();
  const body = response.headers.get('content-type')?.includes('application/json') ? JSON.parse(text) : text;
  checked('upload-file-attachments', { status: response.status, body, text }, 'POST /conversations/messages/upload');
  return { status: response.status, body, headers: response.headers };
}

/** PUT bytes to a signed upload URL. */
export async function putSigned(uploadUrl: string, bytes: Buffer, type = 'application/octet-stream') {
  const response = await fetch(uploadUrl, { method: 'PUT', headers: { 'content-type': type }, body: bytes });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : text, headers: response.headers };
}

export interface DirectUpload {
  conversationId: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
  channel?: string;
}

/** POST …/upload/initiate for a file of the conversation. */
export function initiateUpload(location: TestLocation, upload: Omit<DirectUpload, 'bytes'> & { fileSize?: number }) {
  return location.api.post('conversations:initiate-file-upload', '/conversations/messages/upload/initiate', {
    locationId: location.locationId,
    conversationId: upload.conversationId,
    filename: upload.filename,
    contentType: upload.contentType,
    ...(upload.fileSize !== undefined ? { fileSize: upload.fileSize } : {}),
    channel: upload.channel ?? 'SMS',
  });
}

/** POST …/upload/complete for an initiated upload (the body initiate answered). */
export function completeUpload(
  location: TestLocation,
  initiated: { uploadId: string; filePath: string },
  conversationId: string,
  filename: string,
) {
  return location.api.post('conversations:complete-file-upload', '/conversations/messages/upload/complete', {
    uploadId: initiated.uploadId,
    filePath: initiated.filePath,
    locationId: location.locationId,
    conversationId,
    filename,
  });
}

/** initiate → PUT → complete; answers the stored file's URL and the completion body. */
export async function directUpload(location: TestLocation, upload: DirectUpload) {
  const initiated = await initiateUpload(location, { ...upload, fileSize: upload.bytes.length });
  if (initiated.status !== 200) throw new Error(`initiate: ${initiated.status} ${JSON.stringify(initiated.body)}`);
  const put = await putSigned(initiated.body.uploadUrl, upload.bytes, upload.contentType);
  if (put.status !== 200) throw new Error(`PUT: ${put.status} ${JSON.stringify(put.body)}`);
  const completed = await completeUpload(location, initiated.body, upload.conversationId, upload.filename);
  if (completed.status !== 200) throw new Error(`complete: ${completed.status} ${JSON.stringify(completed.body)}`);
  return { url: completed.body.uploadedFiles[upload.filename] as string, completed: completed.body };
}

/** A call logged through the outbound operation, carrying the given attachments (e.g. its recording). */
export async function loggedCall(location: TestLocation, conversationId: string, attachments: string[] = []) {
  const logged = await location.api.post('conversations:add-an-outbound-message', '/conversations/messages/outbound', {
    type: 'Call',
    conversationId,
    attachments,
  });
  if (logged.status !== 200) throw new Error(`outbound call: ${logged.status} ${JSON.stringify(logged.body)}`);
  return logged.body.messageId as string;
}

export const SENTENCES = [
  {
    mediaChannel: 1,
    sentenceIndex: 0,
    startTime: 0.5,
    endTime: 2.25,
    transcript: 'Thanks for calling, how can I help?',
    confidence: 0.93,
    speaker: 'Agent',
  },
  {
    mediaChannel: 2,
    sentenceIndex: 1,
    startTime: 2.5,
    endTime: 61.04,
    transcript: 'I would like a refund.',
    confidence: 0.88,
  },
];

export async function storeTranscription(location: TestLocation, messageId: string, sentences = SENTENCES) {
  return location.api.put(
    'extensions:store-message-transcription',
    `/conversations/locations/${location.locationId}/messages/${messageId}/transcription`,
    { sentences },
  );
}
