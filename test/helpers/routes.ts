// Every location route the app serves, each with a valid request on fresh data: the one table the shared
// security and bad-input tests iterate. A new route adds one entry here; the coverage test fails until it does.
import { randomUUID } from 'node:crypto';
import type { Scope } from '../../src/domain/scopes.js';
import { createContact, createConversation, createProvider, type TestLocation } from './factories.js';
import { directUpload, loggedCall, putSigned, storeTranscription, wavBytes } from './files.js';
import { ADMIN_TOKEN, Client, type Operation, type RequestOptions } from './harness.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteRequest {
  params?: Record<string, string>;
  query?: RequestOptions['query'];
  body?: Record<string, unknown>;
  /** The token to send it with instead of the location's own: a provider's report comes from its app. */
  token?: string;
}

export interface LocationRoute {
  method: Method;
  /** The URL as registered in src/routes (path parameters as `:name`). */
  url: string;
  operation: Exclude<Operation, null>;
  scope: Scope;
  /** The request names its location (query, body or path): another location's token meets 403 there, else 404. */
  namesLocation: boolean;
  /** What another location's token meets when the request does not name the location, if not 404. */
  foreignStatus?: 400;
  /** A valid request on fresh data of the location: it succeeds when sent with the location's token. */
  build(location: TestLocation): Promise<RouteRequest>;
}

const conversationId = async (location: TestLocation) => ({ conversationId: (await createConversation(location)).id });
const contactId = async (location: TestLocation) => ({ contactId: (await createContact(location)).id });
const freshEmail = () => `route-${randomUUID()}@example.com`;
let phones = 0;
/** Unique within the process, so within every location a test makes. */
function freshPhone(): string {
  phones += 1;
  return `+1555${String(phones).padStart(7, '0')}`;
}
const callee = async (location: TestLocation) => createContact(location, { phone: freshPhone() });
/** The admin API and new tokens' clients, from a location's own client (for the app and provider factories). */
const adminAccess = (location: TestLocation) => ({
  admin: new Client(location.api.baseUrl, { authorization: `Bearer ${ADMIN_TOKEN}` }),
  client: (token: string) => location.api.withHeaders({ authorization: `Bearer ${token}` }),
});

/** Sends an email to a fresh contact and answers its email message id. */
async function sentEmail(location: TestLocation, extra: Record<string, unknown> = {}): Promise<string> {
  const contact = await createContact(location, { email: freshEmail() });
  const sent = await location.api.post('conversations:send-a-new-message', '/conversations/messages', {
    type: 'Email',
    contactId: contact.id,
    html: '<p>Hello</p>',
    subject: 'Route check',
    ...extra,
  });
  if (sent.status !== 200) throw new Error(`email: ${sent.status} ${JSON.stringify(sent.body)}`);
  return sent.body.emailMessageId as string;
}

/** A call logged with a stored WAV recording; answers its message id. */
async function recordedCall(location: TestLocation): Promise<string> {
  const conversation = await createConversation(location);
  const { url } = await directUpload(location, {
    conversationId: conversation.id,
    filename: 'call.wav',
    contentType: 'audio/wav',
    bytes: wavBytes(400),
  });
  return loggedCall(location, conversation.id, [url]);
}

/** A call logged with a stored transcription; answers the path parameters of its transcription routes. */
async function transcribedCall(location: TestLocation) {
  const messageId = await loggedCall(location, (await createConversation(location)).id);
  const stored = await storeTranscription(location, messageId);
  if (stored.status !== 200) throw new Error(`transcription: ${stored.status} ${JSON.stringify(stored.body)}`);
  return { locationId: location.locationId, messageId };
}

/** An initiated direct upload of a small text file, its bytes already PUT: the body that completes it. */
async function uploadedBytes(location: TestLocation) {
  const conversation = await createConversation(location);
  const initiated = await location.api.post(
    'conversations:initiate-file-upload',
    '/conversations/messages/upload/initiate',
    {
      locationId: location.locationId,
      conversationId: conversation.id,
      filename: 'notes.txt',
      contentType: 'text/plain',
      channel: 'SMS',
    },
  );
  await putSigned(initiated.body.uploadUrl, Buffer.from('call notes\n'), 'text/plain');
  return {
    uploadId: initiated.body.uploadId as string,
    filePath: initiated.body.filePath as string,
    locationId: location.locationId,
    conversationId: conversation.id,
    filename: 'notes.txt',
  };
}

export const LOCATION_ROUTES: LocationRoute[] = [
  {
    method: 'GET',
    url: '/conversations/search',
    operation: 'conversations:search-conversation',
    scope: 'conversations.readonly',
    namesLocation: true,
    build: async (location) => ({ query: { locationId: location.locationId } }),
  },
  {
    method: 'POST',
    url: '/conversations/',
    operation: 'conversations:create-conversation',
    scope: 'conversations.write',
    namesLocation: true,
    build: async (location) => ({
      body: { locationId: location.locationId, contactId: (await createContact(location)).id },
    }),
  },
  {
    method: 'GET',
    url: '/conversations/:conversationId',
    operation: 'conversations:get-conversation',
    scope: 'conversations.readonly',
    namesLocation: false,
    build: async (location) => ({ params: await conversationId(location) }),
  },
  {
    method: 'PUT',
    url: '/conversations/:conversationId',
    operation: 'conversations:update-conversation',
    scope: 'conversations.write',
    namesLocation: true,
    build: async (location) => ({
      params: await conversationId(location),
      body: { locationId: location.locationId, unreadCount: 2, starred: true, feedback: 'positive' },
    }),
  },
  {
    method: 'DELETE',
    url: '/conversations/:conversationId',
    operation: 'conversations:delete-conversation',
    scope: 'conversations.write',
    namesLocation: false,
    build: async (location) => ({ params: await conversationId(location) }),
  },
  {
    method: 'POST',
    url: '/conversations/messages',
    operation: 'conversations:send-a-new-message',
    scope: 'conversations/message.write',
    namesLocation: false,
    // The body names a contact: another location's is "Contact not found for id:…" (docs/behaviour.md#unknown-contact).
    foreignStatus: 400,
    build: async (location) => ({ body: { type: 'SMS', contactId: (await callee(location)).id, message: 'hi' } }),
  },
  {
    method: 'POST',
    url: '/conversations/messages/inbound',
    operation: 'conversations:add-an-inbound-message',
    scope: 'conversations/message.write',
    namesLocation: false,
    build: async (location) => ({
      body: {
        type: 'SMS',
        conversationId: (await createConversation(location, (await callee(location)).id)).id,
        message: 'hello',
      },
    }),
  },
  {
    method: 'POST',
    url: '/conversations/messages/outbound',
    operation: 'conversations:add-an-outbound-message',
    scope: 'conversations/message.write',
    namesLocation: false,
    build: async (location) => {
      const contact = await callee(location);
      const conversation = await createConversation(location, contact.id);
      return {
        body: {
          type: 'Call',
          conversationId: conversation.id,
          call: { to: contact.phone, from: '+15550009999', status: 'completed' },
        },
      };
    },
  },
  {
    method: 'PUT',
    url: '/conversations/messages/:messageId/status',
    operation: 'conversations:update-message-status',
    scope: 'conversations/message.write',
    namesLocation: false,
    build: async (location) => {
      const provider = await createProvider(adminAccess(location), location);
      const sent = await location.api.post('conversations:send-a-new-message', '/conversations/messages', {
        type: 'SMS',
        contactId: (await callee(location)).id,
        message: 'via provider',
        conversationProviderId: provider.providerId,
      });
      return {
        params: { messageId: sent.body.messageId as string },
        body: { status: 'delivered' },
        token: provider.app.token,
      };
    },
  },
  {
    method: 'PUT',
    url: '/conversations/messages/:messageId/attachments',
    operation: 'conversations:add-message-attachments',
    scope: 'conversations/message.write',
    namesLocation: false,
    build: async (location) => {
      const logged = await location.api.post(
        'conversations:add-an-outbound-message',
        '/conversations/messages/outbound',
        {
          type: 'Call',
          conversationId: (await createConversation(location)).id,
        },
      );
      return {
        params: { messageId: logged.body.messageId as string },
        body: { attachments: ['https://recordings.example.com/call.mp3'] },
      };
    },
  },
  {
    method: 'POST',
    url: '/conversations/messages/review-reply',
    operation: 'conversations:send-review-reply',
    scope: 'conversations/message.write',
    namesLocation: true,
    build: async (location) => {
      const conversation = await createConversation(location);
      // A review conversation is one the admin API attached a review to.
      const admin = new Client(location.api.baseUrl, { authorization: `Bearer ${ADMIN_TOKEN}` });
      await admin.patch(null, `/admin/v1/locations/${location.locationId}/conversations/${conversation.id}`, {
        review: { reviewId: `review-${randomUUID()}` },
      });
      return {
        body: { conversationId: conversation.id, locationId: location.locationId, message: 'Thank you!' },
      };
    },
  },
  {
    method: 'DELETE',
    url: '/conversations/messages/:messageId/schedule',
    operation: 'conversations:cancel-scheduled-message',
    scope: 'conversations/message.write',
    namesLocation: false,
    build: async (location) => {
      const sent = await location.api.post('conversations:send-a-new-message', '/conversations/messages', {
        type: 'SMS',
        contactId: (await callee(location)).id,
        message: 'later',
        scheduledTimestamp: Math.floor(Date.now() / 1000) + 3600,
      });
      return { params: { messageId: sent.body.messageId as string } };
    },
  },
  {
    method: 'GET',
    url: '/conversations/messages/email/:id',
    operation: 'conversations:get-email-by-id',
    scope: 'conversations/message.readonly',
    namesLocation: false,
    build: async (location) => ({ params: { id: await sentEmail(location) } }),
  },
  {
    method: 'PUT',
    url: '/conversations/messages/email/:id/status',
    operation: 'conversations:update-email-message-status',
    scope: 'conversations/message.write',
    namesLocation: false,
    build: async (location) => {
      const provider = await createProvider(adminAccess(location), location, { type: 'Email' });
      return {
        params: { id: await sentEmail(location, { conversationProviderId: provider.providerId }) },
        body: { status: 'delivered', events: { delivered: 1 } },
        token: provider.app.token,
      };
    },
  },
  {
    method: 'DELETE',
    url: '/conversations/messages/email/:emailMessageId/schedule',
    operation: 'conversations:cancel-scheduled-email-message',
    scope: 'conversations/message.write',
    namesLocation: false,
    build: async (location) => ({
      params: {
        emailMessageId: await sentEmail(location, { scheduledTimestamp: Math.floor(Date.now() / 1000) + 3600 }),
      },
    }),
  },
  {
    method: 'GET',
    url: '/conversations/messages/export',
    operation: 'conversations:export-messages-by-location',
    scope: 'conversations/message.readonly',
    namesLocation: true,
    build: async (location) => ({ query: { locationId: location.locationId, channel: 'SMS' } }),
  },
  {
    method: 'GET',
    url: '/conversations/messages/search',
    operation: 'extensions:search-messages',
    scope: 'conversations/message.readonly',
    namesLocation: true,
    build: async (location) => ({ query: { locationId: location.locationId, q: 'hello' } }),
  },
  {
    method: 'GET',
    url: '/conversations/messages/:id',
    operation: 'conversations:get-message',
    scope: 'conversations/message.readonly',
    namesLocation: false,
    build: async (location) => {
      const sent = await location.api.post('conversations:send-a-new-message', '/conversations/messages', {
        type: 'SMS',
        contactId: (await callee(location)).id,
        message: 'to read',
      });
      return { params: { id: sent.body.messageId as string } };
    },
  },
  {
    method: 'GET',
    url: '/conversations/:conversationId/messages',
    operation: 'conversations:get-messages',
    scope: 'conversations/message.readonly',
    namesLocation: false,
    build: async (location) => ({ params: await conversationId(location), query: { limit: 10, type: 'TYPE_SMS' } }),
  },
  {
    method: 'GET',
    url: '/conversations/:conversationId/messages/scheduled',
    operation: 'extensions:get-scheduled-messages',
    scope: 'conversations/message.readonly',
    namesLocation: false,
    build: async (location) => ({ params: await conversationId(location) }),
  },
  {
    method: 'POST',
    url: '/conversations/messages/upload',
    operation: 'conversations:upload-file-attachments',
    scope: 'conversations/message.write',
    namesLocation: true,
    // As JSON, attachmentUrls only: here a stored file of this server, copied without a network fetch.
    build: async (location) => {
      const conversation = await createConversation(location);
      const { url } = await directUpload(location, {
        conversationId: conversation.id,
        filename: 'menu.txt',
        contentType: 'text/plain',
        bytes: Buffer.from('today: soup\n'),
      });
      return {
        body: {
          conversationId: conversation.id,
          contactId: conversation.contactId,
          locationId: location.locationId,
          attachmentUrls: [url],
        },
      };
    },
  },
  {
    method: 'POST',
    url: '/conversations/messages/upload/initiate',
    operation: 'conversations:initiate-file-upload',
    scope: 'conversations/message.write',
    namesLocation: true,
    build: async (location) => ({
      body: {
        locationId: location.locationId,
        conversationId: (await createConversation(location)).id,
        filename: 'clip.mp4',
        contentType: 'video/mp4',
        fileSize: 1024,
        channel: 'WHATSAPP',
      },
    }),
  },
  {
    method: 'POST',
    url: '/conversations/messages/upload/complete',
    operation: 'conversations:complete-file-upload',
    scope: 'conversations/message.write',
    namesLocation: true,
    build: async (location) => ({ body: await uploadedBytes(location) }),
  },
  {
    method: 'GET',
    url: '/conversations/messages/:messageId/locations/:locationId/recording',
    operation: 'conversations:get-message-recording',
    scope: 'conversations/message.readonly',
    namesLocation: true,
    build: async (location) => ({
      params: { messageId: await recordedCall(location), locationId: location.locationId },
    }),
  },
  {
    method: 'GET',
    url: '/conversations/locations/:locationId/messages/:messageId/transcription',
    operation: 'conversations:get-message-transcription',
    scope: 'conversations/message.readonly',
    namesLocation: true,
    build: async (location) => ({ params: await transcribedCall(location) }),
  },
  {
    method: 'GET',
    url: '/conversations/locations/:locationId/messages/:messageId/transcription/download',
    operation: 'conversations:download-message-transcription',
    scope: 'conversations/message.readonly',
    namesLocation: true,
    build: async (location) => ({ params: await transcribedCall(location) }),
  },
  {
    method: 'PUT',
    url: '/conversations/locations/:locationId/messages/:messageId/transcription',
    operation: 'extensions:store-message-transcription',
    scope: 'conversations/message.write',
    namesLocation: true,
    build: async (location) => ({
      params: {
        locationId: location.locationId,
        messageId: await loggedCall(location, (await createConversation(location)).id),
      },
      body: {
        sentences: [
          { mediaChannel: 1, sentenceIndex: 0, startTime: 0, endTime: 1.5, transcript: 'Hello', confidence: 0.9 },
        ],
      },
    }),
  },
  {
    method: 'POST',
    url: '/conversations/providers/live-chat/typing',
    operation: 'conversations:live-chat-agent-typing',
    scope: 'conversations/livechat.write',
    namesLocation: true,
    build: async (location) => ({
      body: {
        locationId: location.locationId,
        conversationId: (await createConversation(location)).id,
        visitorId: 'visitor-route-check',
        isTyping: true,
      },
    }),
  },
  {
    method: 'GET',
    url: '/conversations/events/stream',
    operation: 'extensions:stream-conversation-events',
    scope: 'conversations.readonly',
    namesLocation: true,
    // follow=false: the replay from the start of the log, then the end of the response (a live stream never ends).
    build: async (location) => ({ query: { locationId: location.locationId, lastEventId: 0, follow: false } }),
  },
  {
    method: 'POST',
    url: '/contacts/',
    operation: 'contacts:create-contact',
    scope: 'contacts.write',
    namesLocation: true,
    build: async (location) => ({
      body: { locationId: location.locationId, firstName: 'Route', lastName: 'Case', email: freshEmail() },
    }),
  },
  {
    method: 'POST',
    url: '/contacts/upsert',
    operation: 'contacts:upsert-contact',
    scope: 'contacts.write',
    namesLocation: true,
    build: async (location) => ({
      body: { locationId: location.locationId, name: 'Route Upsert', email: freshEmail() },
    }),
  },
  {
    method: 'GET',
    url: '/contacts/',
    operation: 'contacts:get-contacts',
    scope: 'contacts.readonly',
    namesLocation: true,
    build: async (location) => ({ query: { locationId: location.locationId, query: 'route' } }),
  },
  {
    method: 'POST',
    url: '/contacts/search',
    operation: 'contacts:search-contacts-advanced',
    scope: 'contacts.readonly',
    namesLocation: true,
    build: async (location) => ({
      body: {
        locationId: location.locationId,
        pageLimit: 5,
        filters: [
          { field: 'email', operator: 'eq', value: (await createContact(location, { email: freshEmail() })).email },
        ],
      },
    }),
  },
  {
    method: 'GET',
    url: '/contacts/search/duplicate',
    operation: 'contacts:get-duplicate-contact',
    scope: 'contacts.readonly',
    namesLocation: true,
    build: async (location) => ({ query: { locationId: location.locationId, number: (await callee(location)).phone } }),
  },
  {
    method: 'POST',
    url: '/contacts/:contactId/tags',
    operation: 'contacts:add-tags',
    scope: 'contacts.write',
    namesLocation: false,
    build: async (location) => ({ params: await contactId(location), body: { tags: ['vip', 'route'] } }),
  },
  {
    method: 'DELETE',
    url: '/contacts/:contactId/tags',
    operation: 'contacts:remove-tags',
    scope: 'contacts.write',
    namesLocation: false,
    build: async (location) => ({ params: await contactId(location), body: { tags: ['vip'] } }),
  },
  {
    method: 'GET',
    url: '/locations/:locationId',
    operation: 'locations:get-location',
    scope: 'locations.readonly',
    namesLocation: true,
    build: async (location) => ({ params: { locationId: location.locationId } }),
  },
  {
    method: 'GET',
    url: '/contacts/:contactId',
    operation: 'contacts:get-contact',
    scope: 'contacts.readonly',
    namesLocation: false,
    build: async (location) => ({ params: await contactId(location) }),
  },
  {
    method: 'PUT',
    url: '/contacts/:contactId',
    operation: 'contacts:update-contact',
    scope: 'contacts.write',
    namesLocation: false,
    build: async (location) => ({ params: await contactId(location), body: { firstName: 'Renamed', tags: ['x'] } }),
  },
  {
    method: 'DELETE',
    url: '/contacts/:contactId',
    operation: 'contacts:delete-contact',
    scope: 'contacts.write',
    namesLocation: false,
    build: async (location) => ({ params: await contactId(location) }),
  },
];

export const routeKey = (route: { method: string; url: string }) => `${route.method} ${route.url}`;

/** The route's URL with its parameters filled in, encoded unless `raw` (to send deliberately odd paths). */
export function pathOf(url: string, params: Record<string, string> = {}, raw = false): string {
  return url.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${url}`);
    return raw ? value : encodeURIComponent(value);
  });
}
