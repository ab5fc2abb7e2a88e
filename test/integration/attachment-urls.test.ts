// Attachments are URLs: a send, an inbound or outbound message, or a call's attachment update holding anything but
// an absolute http(s) URL is a 422 naming the item, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { inbound, messageCount, outboundCall, send, uniquePhone } from '../helpers/messages.js';

const NOT_URLS = [
  '/etc/passwd',
  'C:\\Users\\me\\photo.jpg',
  'photo.jpg',
  'file:///tmp/photo.jpg',
  'data:image/png;base64,iVBORw0KGgo=',
  'ftp://files.example.com/a.pdf',
  '//cdn.example.com/a.png',
  'https://',
  'javascript:alert(1)',
];

describe.each(ENGINES)('attachment URLs on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;

  beforeAll(async () => {
    harness = await startHarness(engine);
    location = await createLocation(harness);
  });
  afterAll(() => harness?.close());

  it('refuses a send whose attachments are not absolute http(s) URLs, naming each bad item', async () => {
    const contact = await createContact(location, { phone: uniquePhone() });
    const conversation = await createConversation(location, contact.id);
    for (const bad of NOT_URLS) {
      const response = await send(location, {
        type: 'SMS',
        contactId: contact.id,
        message: 'See attached',
        attachments: ['https://cdn.example.com/ok.png', bad],
      });
      expect(response.status, bad).toBe(422);
      expect(response.body.message, bad).toEqual([
        `attachments[1] must be an absolute http or https URL (got ${JSON.stringify(bad)})`,
      ]);
    }
    expect(await messageCount(harness, conversation.id)).toBe(0);
    const good = await send(location, {
      type: 'SMS',
      contactId: contact.id,
      attachments: ['https://cdn.example.com/a.png', 'http://files.example.com/b.pdf?x=1'],
    });
    expect(good.status, JSON.stringify(good.body)).toBe(200);
  });

  it('refuses the same on inbound and outbound messages, and keeps the conversation untouched', async () => {
    const contact = await createContact(location, { phone: uniquePhone() });
    const conversation = await createConversation(location, contact.id);
    const inboundResponse = await inbound(location, {
      type: 'SMS',
      conversationId: conversation.id,
      message: 'Here',
      attachments: ['/home/me/a.png', 'https://cdn.example.com/b.png', 'b.png'],
    });
    expect(inboundResponse.status).toBe(422);
    expect(inboundResponse.body.message).toEqual([
      'attachments[0] must be an absolute http or https URL (got "/home/me/a.png")',
      'attachments[2] must be an absolute http or https URL (got "b.png")',
    ]);
    const outbound = await outboundCall(location, {
      type: 'Call',
      conversationId: conversation.id,
      conversationProviderId: 'none',
      attachments: ['recording.wav'],
    });
    expect(outbound.status).toBe(422);
    expect(outbound.body.message).toEqual([
      'attachments[0] must be an absolute http or https URL (got "recording.wav")',
    ]);
    expect(await messageCount(harness, conversation.id)).toBe(0);
  });

  it('refuses the same on a simulated inbound (the sandbox’s contact writing in), writing nothing', async () => {
    const phone = uniquePhone();
    const simulate = (attachments: string[]) =>
      harness.admin.post(null, `/admin/v1/locations/${location.locationId}/simulate/inbound`, {
        from: phone,
        type: 'SMS',
        message: 'Here',
        attachments,
      });
    for (const bad of ['https://', 'http://cdn example.com/a.png']) {
      const refused = await simulate(['https://cdn.example.com/a.png', bad]);
      expect(refused.status, bad).toBe(422);
      expect(refused.body.message, bad).toEqual([
        `attachments[1] must be an absolute http or https URL (got ${JSON.stringify(bad)})`,
      ]);
    }
    const found = await location.api.get('contacts:get-contacts', '/contacts/', {
      query: { locationId: location.locationId, query: phone },
    });
    expect(found.body.contacts).toEqual([]);
    expect((await simulate(['https://cdn.example.com/a.png'])).status).toBe(201);
  });
});
