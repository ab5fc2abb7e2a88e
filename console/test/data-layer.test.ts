// The console's data layer: search paging as the API pages, a thread's reading order, the language choice, the
// composer's conversions, and the realtime stream (frames split anywhere, and a resume after a dropped connection
// against a real HTTP server that checks Last-Event-ID; a resync rereads everything).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { errorMessage, setCredentials, withQuery } from '../src/api/client.js';
import {
  applyMessageEvent,
  keys,
  NO_FILTERS,
  nextCursor,
  PAGE_SIZE,
  readingOrder,
  searchQuery,
} from '../src/api/conversations.js';
import { openStream, parseFrames, type SseFrame } from '../src/api/sse.js';
import type { ConversationItem, Message, MessagesPage } from '../src/api/types.js';
import { pickLanguage } from '../src/i18n/index.js';
import { defaultChannel, scheduledSeconds, textToHtml } from '../src/inbox/composer.js';
import { handleFrame } from '../src/inbox/live.js';

const item = (id: string, sort: [number, number]) => ({ id, sort }) as ConversationItem;
const message = (id: string, dateAdded: string) => ({ id, dateAdded }) as Message;
const page = (messages: Message[]): MessagesPage => ({ messages: { lastMessageId: null, nextPage: false, messages } });

describe('search paging', () => {
  it('asks for the next page after the last conversation’s sort value, and stops at a short page', () => {
    const full = {
      conversations: Array.from({ length: PAGE_SIZE }, (_, i) => item(`c${i}`, [1000 - i, i + 1])),
      total: 120,
    };
    expect(nextCursor(full)).toBe(`${1000 - PAGE_SIZE + 1},${PAGE_SIZE}`);
    expect(nextCursor({ conversations: [item('a', [5, 1])], total: 1 })).toBeUndefined();
    expect(nextCursor({ conversations: [], total: 0 })).toBeUndefined();
  });

  it('sends only the filters that are set, as the search API names them', () => {
    expect(searchQuery('loc', NO_FILTERS, undefined)).toEqual({
      locationId: 'loc',
      limit: PAGE_SIZE,
      status: undefined,
      assignedTo: undefined,
      lastMessageType: undefined,
      query: undefined,
      startAfterDate: undefined,
    });
    const query = searchQuery(
      'loc',
      { status: 'unread', assignedTo: 'u1', lastMessageType: 'TYPE_SMS', query: '  ana ' },
      '9,3',
    );
    expect(withQuery('/conversations/search', query)).toBe(
      '/conversations/search?locationId=loc&limit=50&status=unread&assignedTo=u1&lastMessageType=TYPE_SMS&query=ana&startAfterDate=9%2C3',
    );
  });
});

describe('thread order', () => {
  it('puts loaded pages in reading order, oldest first, each message once', () => {
    const newest = page([message('m4', '2026-01-04T00:00:00Z'), message('m3', '2026-01-03T00:00:00Z')]);
    const older = page([message('m3', '2026-01-03T00:00:00Z'), message('m1', '2026-01-01T00:00:00Z')]);
    expect(readingOrder([newest, older]).map((m) => m.id)).toEqual(['m1', 'm3', 'm4']);
  });

  it('keeps the API order among messages of the same instant (a virtual clock that has not moved)', () => {
    const at = '2030-03-01T09:00:00.000Z';
    const pages = [page([message('c', at), message('b', at)]), page([message('a', at)])];
    expect(readingOrder(pages).map((m) => m.id)).toEqual(['a', 'b', 'c']);

    // A live status change replaces the message where it is; a new one lands at the end.
    const client = new QueryClient();
    const stored = { ...message('b', at), conversationId: 'conv-1', status: 'delivered' } as Message;
    client.setQueryData(keys.messages('conv-1'), { pages, pageParams: [undefined, 'b'] });
    applyMessageEvent(client, 'loc-1', stored);
    applyMessageEvent(client, 'loc-1', { ...message('d', at), conversationId: 'conv-1' } as Message);
    const data = client.getQueryData<{ pages: MessagesPage[] }>(keys.messages('conv-1'));
    const ordered = readingOrder(data?.pages ?? []);
    expect(ordered.map((m) => m.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(ordered[1]?.status).toBe('delivered');
  });
});

describe('errors, languages and the composer', () => {
  it('reads the API’s error shape', () => {
    expect(errorMessage({ statusCode: 422, message: ['a', 'b'] }, 422)).toBe('a; b');
    expect(errorMessage({ statusCode: 401, message: 'Invalid JWT' }, 401)).toBe('Invalid JWT');
    expect(errorMessage('<html>', 502)).toBe('HTTP 502');
  });

  it('picks the stored choice, else the browser’s language, else English', () => {
    expect(pickLanguage('es-MX', ['en-US'])).toBe('es-MX');
    expect(pickLanguage(null, ['es-AR', 'en'])).toBe('es-MX');
    expect(pickLanguage(null, ['fr-FR', 'en-GB'])).toBe('en');
    expect(pickLanguage('de', ['de-DE'])).toBe('en');
  });

  it('turns the agent’s text into escaped email HTML, and a local time into UTC seconds', () => {
    expect(textToHtml('Hi <b>you</b> & co\nline two\n\nnext')).toBe(
      '<p>Hi &lt;b&gt;you&lt;/b&gt; &amp; co<br>line two</p><p>next</p>',
    );
    expect(scheduledSeconds('')).toBeUndefined();
    expect(scheduledSeconds('2030-01-02T03:04')).toBe(Math.floor(new Date('2030-01-02T03:04').getTime() / 1000));
    expect(defaultChannel({ messageType: 'TYPE_EMAIL' })).toBe('Email');
    expect(defaultChannel({ messageType: 'TYPE_ACTIVITY_CONTACT' })).toBe('SMS');
    expect(defaultChannel(null)).toBe('SMS');
  });
});

describe('realtime stream', () => {
  it('parses frames split at any point, with multi-line data, comments and CRLF', () => {
    const text =
      ': heartbeat\r\n\r\nid: 7\r\nevent: message.created\r\ndata: {"a":\r\ndata: 1}\r\n\r\nid: 8\nevent: typing\ndata: {}\n\n';
    for (let cut = 0; cut <= text.length; cut += 1) {
      const first = parseFrames(text.slice(0, cut));
      const second = parseFrames(first.rest + text.slice(cut));
      const frames = [...first.frames, ...second.frames];
      expect(frames).toEqual([
        { id: '7', event: 'message.created', data: '{"a":\n1}' },
        { id: '8', event: 'typing', data: '{}' },
      ]);
      expect(second.rest).toBe('');
    }
  });

  let server: http.Server | undefined;
  afterEach(() => {
    server?.close();
    server = undefined;
  });

  it('resumes after a dropped connection from the last event id it saw, with the session headers', async () => {
    const seen: { lastEventId: string | undefined; csrf: string | undefined }[] = [];
    server = http.createServer((request, response) => {
      seen.push({
        lastEventId: request.headers['last-event-id'] as string | undefined,
        csrf: request.headers['x-switchboard-csrf'] as string | undefined,
      });
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      if (seen.length === 1) {
        response.write(
          'id: 1\nevent: message.created\ndata: {"n":1}\n\nid: 2\nevent: message.created\ndata: {"n":2}\n\n',
        );
        // The connection drops mid-stream.
        setTimeout(() => response.socket?.destroy(), 50);
      } else {
        response.write('id: 3\nevent: message.created\ndata: {"n":3}\n\n');
      }
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    setCredentials({ csrfToken: 'csrf-1', locationId: 'loc-1' });
    const frames: SseFrame[] = [];
    const states: string[] = [];
    const close = openStream({
      path: `http://127.0.0.1:${port}/conversations/events/stream`,
      query: { locationId: 'loc-1' },
      onFrame: (frame) => frames.push(frame),
      onState: (state) => states.push(state),
      retryMs: { first: 20, max: 100 },
    });
    const deadline = Date.now() + 5000;
    while (frames.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    close();
    expect(frames.map((frame) => frame.data)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(seen[0]).toEqual({ lastEventId: undefined, csrf: 'csrf-1' });
    expect(seen[1]).toEqual({ lastEventId: '2', csrf: 'csrf-1' });
    expect(states.slice(0, 3)).toEqual(['connecting', 'live', 'reconnecting']);
  });

  it('reads everything afresh after a resync frame (the events it missed are gone from the log)', () => {
    const client = new QueryClient();
    client.setQueryData(keys.conversations('loc-1'), { pages: [] });
    client.setQueryData(keys.messages('conv-1'), { pages: [] });
    handleFrame(client, 'loc-1', { id: '9', event: 'resync', data: '{"reason":"retention","from":2,"to":9}' });
    expect(client.getQueryState(keys.conversations('loc-1'))?.isInvalidated).toBe(true);
    expect(client.getQueryState(keys.messages('conv-1'))?.isInvalidated).toBe(true);
  });
});
