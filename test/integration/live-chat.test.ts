// Live chat: widgets through the admin API, and the visitor API the widget calls — sessions that find or create
// the contact, visitor messages stored as inbound Live_Chat, agent replies and typing on the visitor's own stream,
// feedback, and the limits that keep untrusted visitors in check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness, VERSION } from '../helpers/harness.js';
import { anonymous, createWidget, startVisitor } from '../helpers/live-chat.js';
import { SseStream } from '../helpers/sse.js';

describe.each(ENGINES)('live chat on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  let widgetId: string;

  beforeAll(async () => {
    harness = await startHarness(engine, {
      env: { TYPING_TTL_MS: '2000', LIVE_CHAT_MESSAGES_PER_MINUTE: '6', LIVE_CHAT_MAX_MESSAGE_LENGTH: '500' },
    });
    location = await createLocation(harness);
    widgetId = (await createWidget(harness, location, { title: 'Talk to us', greeting: 'Hi! <b>How</b> can we help?' }))
      .id;
  });
  afterAll(() => harness?.close());

  async function messagesOf(conversationId: string) {
    const page = await location.api.get('conversations:get-messages', `/conversations/${conversationId}/messages`);
    expect(page.status).toBe(200);
    return page.body.messages.messages as Record<string, any>[];
  }

  it('creates, lists and reads widgets through the admin API, with their embed code', async () => {
    const other = await createLocation(harness);
    const created = await harness.admin.post(null, `/admin/v1/locations/${other.locationId}/live-chat/widgets`, {
      name: 'Support',
      color: '#123abc',
    });
    expect(created.status).toBe(201);
    expect(created.body.widget).toMatchObject({
      id: expect.stringMatching(/^[0-9A-Za-z]{20}$/),
      locationId: other.locationId,
      name: 'Support',
      title: 'Chat with us',
      color: '#123abc',
      greeting: null,
    });
    expect(created.body.widget.embed.script).toContain(`data-widget-id="${created.body.widget.id}"`);
    expect(created.body.widget.embed.demoUrl).toBe(`${harness.baseUrl}/widget/demo?widgetId=${created.body.widget.id}`);
    const base = `/admin/v1/locations/${other.locationId}/live-chat/widgets`;
    expect((await harness.admin.get(null, base)).body.widgets.map((w: { id: string }) => w.id)).toEqual([
      created.body.widget.id,
    ]);
    expect((await harness.admin.get(null, `${base}/${created.body.widget.id}`)).body.widget.name).toBe('Support');
    // Another location's widget id is no widget of this one.
    expect((await harness.admin.get(null, `${base}/${widgetId}`)).status).toBe(404);
    expect((await harness.admin.post(null, '/admin/v1/locations/nowhere/live-chat/widgets', {})).status).toBe(404);
    expect((await harness.admin.post(null, base, { color: 'red' })).status).toBe(422);
    expect((await harness.admin.post(null, base, { title: 'x'.repeat(101) })).status).toBe(422);
  });

  it('serves the public widget data, and 404 for an unknown widget', async () => {
    const widget = await anonymous(harness).get('extensions:get-live-chat-widget', `/widget/v1/widgets/${widgetId}`);
    expect(widget.body.widget).toEqual({
      id: widgetId,
      title: 'Talk to us',
      greeting: 'Hi! <b>How</b> can we help?',
      color: '#155eef',
    });
    expect(widget.headers.get('access-control-allow-origin')).toBe('*');
    const unknown = await anonymous(harness).get('extensions:get-live-chat-widget', '/widget/v1/widgets/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('stores visitor messages as inbound Live_Chat of the contact’s conversation, with events', async () => {
    const visitor = await startVisitor(harness, widgetId, { name: 'Ada Visitor' });
    const conversation = await location.api.get(
      'conversations:get-conversation',
      `/conversations/${visitor.conversationId}`,
    );
    expect(conversation.status).toBe(200);
    const contact = await location.api.get('contacts:get-contact', `/contacts/${conversation.body.contactId}`);
    expect(contact.body.contact).toMatchObject({ firstName: 'Ada', lastName: 'Visitor', source: 'Live chat' });

    const locationStream = await SseStream.open(`${harness.baseUrl}/conversations/events/stream`, {
      authorization: `Bearer ${location.token}`,
      version: VERSION,
    });
    await locationStream.next('ready');
    const sent = await visitor.api.post('extensions:send-live-chat-visitor-message', '/widget/v1/session/messages', {
      message: '  <img src=x onerror=alert(1)> hello  ',
    });
    expect(sent.status).toBe(201);
    expect(sent.body.message).toMatchObject({ from: 'visitor', body: '<img src=x onerror=alert(1)> hello' });

    const [stored] = await messagesOf(visitor.conversationId);
    expect(stored).toMatchObject({
      id: sent.body.message.id,
      messageType: 'TYPE_LIVE_CHAT',
      direction: 'inbound',
      body: '<img src=x onerror=alert(1)> hello',
      chatWidgetId: widgetId,
    });
    const created = await locationStream.next('message.created');
    expect(created.data.message).toMatchObject({ id: stored?.id, chatWidgetId: widgetId });
    const unread = await location.api.get('conversations:get-conversation', `/conversations/${visitor.conversationId}`);
    expect(unread.body.unreadCount).toBe(1);
    locationStream.close();
  });

  it('finds an existing contact by email without changing it, and opens its conversation', async () => {
    const existing = await createContact(location, { firstName: 'Real', lastName: 'Name', email: 'known@example.com' });
    const visitor = await startVisitor(harness, widgetId, { name: 'Someone Else', email: 'KNOWN@example.com' });
    const conversation = await location.api.get(
      'conversations:get-conversation',
      `/conversations/${visitor.conversationId}`,
    );
    expect(conversation.body.contactId).toBe(existing.id);
    const contact = await location.api.get('contacts:get-contact', `/contacts/${existing.id}`);
    expect(contact.body.contact).toMatchObject({ firstName: 'Real', lastName: 'Name' });
    const again = await startVisitor(harness, widgetId, { email: 'known@example.com' });
    expect(again.conversationId).toBe(visitor.conversationId);
    expect(again.visitorId).not.toBe(visitor.visitorId);
  });

  it('shows the visitor the agent’s live chat replies and typing, and nothing else of the contact', async () => {
    const contact = await createContact(location, { email: 'chatter@example.com', phone: '+15550300001' });
    // History from before the session is not the visitor's to see (anyone can type an email address).
    await location.api.post('conversations:send-a-new-message', '/conversations/messages', {
      type: 'Live_Chat',
      contactId: contact.id,
      message: 'an older chat',
    });
    const visitor = await startVisitor(harness, widgetId, { email: 'chatter@example.com' });
    const stream = await visitor.stream();
    await visitor.api.post('extensions:send-live-chat-visitor-message', '/widget/v1/session/messages', {
      message: 'Is anyone there?',
    });
    const typing = await location.api.post(
      'conversations:live-chat-agent-typing',
      '/conversations/providers/live-chat/typing',
      {
        locationId: location.locationId,
        conversationId: visitor.conversationId,
        visitorId: visitor.visitorId,
        isTyping: 'true',
      },
    );
    expect(typing.status).toBe(201);
    await location.api.post('conversations:send-a-new-message', '/conversations/messages', {
      type: 'SMS',
      contactId: contact.id,
      message: 'an SMS the visitor must not see',
    });
    const reply = await location.api.post('conversations:send-a-new-message', '/conversations/messages', {
      type: 'Live_Chat',
      contactId: contact.id,
      message: 'Yes! How can I help?',
    });
    expect(reply.status).toBe(200);

    await stream.until((events) =>
      events.some((e) => e.event === 'message.updated' && e.data.id === reply.body.messageId),
    );
    const shown = stream.events.filter((e) => e.event !== 'ready');
    expect(shown.find((e) => e.event === 'typing')?.data).toMatchObject({ isTyping: true, ttlMs: 2000 });
    expect(shown.find((e) => e.event === 'typing')?.id).toBeUndefined();
    const bodies = shown.filter((e) => e.event === 'message.created').map((e) => [e.data.from, e.data.body]);
    expect(bodies).toEqual([
      ['visitor', 'Is anyone there?'],
      ['agent', 'Yes! How can I help?'],
    ]);
    expect(shown.find((e) => e.event === 'message.updated')?.data).toMatchObject({ status: 'delivered' });
    for (const event of shown.filter((e) => e.event.startsWith('message.'))) {
      expect(Object.keys(event.data).sort()).toEqual(['attachments', 'body', 'dateAdded', 'from', 'id', 'status']);
    }

    // The session's history, and a reconnect that resumes after what the stream delivered.
    const session = await visitor.api.get('extensions:get-live-chat-session', '/widget/v1/session');
    expect(session.body.messages.map((m: { body: string }) => m.body)).toEqual([
      'Is anyone there?',
      'Yes! How can I help?',
    ]);
    const lastId = stream.events.filter((e) => e.id).at(-1)?.id as string;
    stream.close();
    await location.api.post('conversations:send-a-new-message', '/conversations/messages', {
      type: 'Live_Chat',
      contactId: contact.id,
      message: 'Are you still there?',
    });
    const resumed = await visitor.stream('', { 'last-event-id': lastId });
    const missed = await resumed.next('message.created');
    expect(missed.data.body).toBe('Are you still there?');
    resumed.close();
  });

  it('takes feedback into the conversation', async () => {
    const visitor = await startVisitor(harness, widgetId);
    const given = await visitor.api.post('extensions:live-chat-visitor-feedback', '/widget/v1/session/feedback', {
      feedback: 'positive',
    });
    expect(given.status).toBe(201);
    const conversation = await location.api.get(
      'conversations:get-conversation',
      `/conversations/${visitor.conversationId}`,
    );
    expect(conversation.body.feedback).toBe('positive');
    const bad = await visitor.api.post('extensions:live-chat-visitor-feedback', '/widget/v1/session/feedback', {
      feedback: 'meh',
    });
    expect(bad.status).toBe(422);
  });

  it('publishes the visitor’s typing on the location stream', async () => {
    const visitor = await startVisitor(harness, widgetId);
    const stream = await SseStream.open(`${harness.baseUrl}/conversations/events/stream`, {
      authorization: `Bearer ${location.token}`,
      version: VERSION,
    });
    await stream.next('ready');
    const typed = await visitor.api.post('extensions:live-chat-visitor-typing', '/widget/v1/session/typing', {
      isTyping: true,
    });
    expect(typed.status).toBe(201);
    const typing = await stream.next('typing');
    expect(typing.data).toMatchObject({
      actor: 'visitor',
      visitorId: visitor.visitorId,
      conversationId: visitor.conversationId,
      isTyping: true,
    });
    stream.close();
  });

  it('refuses unknown sessions, empty and overlong messages, and visitors who send too fast', async () => {
    const nobody = anonymous(harness).withHeaders({ authorization: 'Bearer lcv-unknown' });
    const refused = await nobody.post('extensions:send-live-chat-visitor-message', '/widget/v1/session/messages', {
      message: 'hi',
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    const noStream = await fetch(`${harness.baseUrl}/widget/v1/session/stream?access_token=${location.token}`);
    expect(noStream.status).toBe(401);

    const visitor = await startVisitor(harness, widgetId);
    const send = (message: unknown) =>
      visitor.api.post('extensions:send-live-chat-visitor-message', '/widget/v1/session/messages', { message });
    expect((await send('   ')).status).toBe(422);
    expect((await send('x'.repeat(501))).status).toBe(422);
    expect((await send(42)).status).toBe(422);
    // Six a minute (LIVE_CHAT_MESSAGES_PER_MINUTE), refused attempts included: a fresh visitor for a clean count.
    const hasty = await startVisitor(harness, widgetId);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      const sent = await hasty.api.post('extensions:send-live-chat-visitor-message', '/widget/v1/session/messages', {
        message: `message ${i}`,
      });
      statuses.push(sent.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 429, 429]);
    const limited = await hasty.api.post('extensions:send-live-chat-visitor-message', '/widget/v1/session/messages', {
      message: 'one too many',
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    // Another visitor is not held back by this one.
    const other = await startVisitor(harness, widgetId);
    expect(
      (
        await other.api.post('extensions:send-live-chat-visitor-message', '/widget/v1/session/messages', {
          message: 'hi',
        })
      ).status,
    ).toBe(201);
  });

  it('limits new sessions per address', async () => {
    const own = await startHarness(engine, { env: { LIVE_CHAT_SESSIONS_PER_MINUTE: '2' } });
    try {
      const place = await createLocation(own);
      const widget = await createWidget(own, place);
      const start = () =>
        fetch(`${own.baseUrl}/widget/v1/widgets/${widget.id}/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
      expect([(await start()).status, (await start()).status, (await start()).status]).toEqual([201, 201, 429]);
    } finally {
      await own.close();
    }
  });

  it('answers CORS preflights for the widget and stream endpoints, and serves the widget files', async () => {
    for (const path of [
      '/widget/v1/session/messages',
      '/widget/v1/widgets/abc/sessions',
      '/conversations/events/stream',
    ]) {
      const preflight = await fetch(`${harness.baseUrl}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://shop.example.com',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(preflight.status, path).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    }
    const script = await fetch(`${harness.baseUrl}/widget/chat.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    const source = await script.text();
    expect(source).toContain('SwitchboardChat');
    expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    const demo = await fetch(`${harness.baseUrl}/widget/demo?widgetId=${widgetId}`);
    expect(demo.headers.get('content-type')).toMatch(/^text\/html/);
    expect(demo.headers.get('content-security-policy')).toContain("script-src 'self'");
    const page = await demo.text();
    expect(page).toContain('/widget/chat.js');
    expect(page).not.toContain(widgetId);
  });
});
