// What the sandbox-control tests share: a location filled the way an integrator's test would fill it, and the files
// the disk blob store holds.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { createContact, type TestLocation } from './factories.js';
import { pngBytes, uploadMultipart } from './files.js';
import { inbound, send, uniquePhone } from './messages.js';

/** Every file under `dataDir/files/<under>` (the disk blob store), however deep. */
export function storedFiles(dataDir: string, under = ''): string[] {
  const walk = (dir: string): string[] =>
    fs.existsSync(dir)
      ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
          const full = path.join(dir, entry.name);
          return entry.isDirectory() ? walk(full) : [full];
        })
      : [];
  return walk(path.join(dataDir, 'files', under));
}

/** A contact, a conversation with messages in and out, a scheduled send and a stored file. */
export async function populateLocation(location: TestLocation) {
  const contact = await createContact(location, { phone: uniquePhone() });
  const sent = await send(location, { type: 'SMS', contactId: contact.id, message: 'Hello' });
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  const conversationId = sent.body.conversationId as string;
  expect((await inbound(location, { type: 'SMS', conversationId, message: 'Hi back' })).status).toBe(200);
  const scheduled = await send(location, {
    type: 'SMS',
    contactId: contact.id,
    message: 'Later',
    scheduledTimestamp: Math.floor(Date.now() / 1000) + 3600,
  });
  expect(scheduled.status).toBe(200);
  const uploaded = await uploadMultipart(location, { conversationId, locationId: location.locationId }, [
    { name: 'pixel.png', bytes: pngBytes(), type: 'image/png' },
  ]);
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
  const fileUrl = Object.values(uploaded.body.uploadedFiles as Record<string, string>)[0] as string;
  return { contactId: contact.id, conversationId, fileUrl };
}
