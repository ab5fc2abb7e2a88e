// The thread's message renderers: each type drawn as an agent expects, hostile text kept as text, only http(s)
// links, and email HTML confined to a sandboxed frame under its own CSP.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../src/api/conversations.js';
import type { Email, Message } from '../src/api/types.js';
import { initI18n } from '../src/i18n/index.js';
import { frameDocument } from '../src/inbox/email-frame.js';
import { kindOf, safeUrl } from '../src/inbox/message-kinds.js';
import { MessageView } from '../src/inbox/message-view.js';

const XSS = '<img src=x onerror="alert(1)">';

function message(fields: Partial<Message>): Message {
  return {
    id: 'm1',
    type: 2,
    messageType: 'TYPE_SMS',
    conversationId: 'c1',
    contactId: 'k1',
    locationId: 'l1',
    dateAdded: '2026-03-01T15:04:00.000Z',
    body: 'Hello',
    direction: 'inbound',
    status: 'delivered',
    attachments: [],
    meta: {},
    ...fields,
  };
}

function render(node: ReactNode, client = new QueryClient()): string {
  return renderToStaticMarkup(<QueryClientProvider client={client}>{node}</QueryClientProvider>);
}

beforeAll(async () => {
  await initI18n('en');
});

describe('message renderers', () => {
  it('chooses a drawing per type', () => {
    expect([2, 19, 11, 18, 29].map((type) => kindOf({ type }))).toEqual([
      'bubble',
      'bubble',
      'bubble',
      'bubble',
      'bubble',
    ]);
    expect([3, 23].map((type) => kindOf({ type }))).toEqual(['email', 'email']);
    expect([1, 24].map((type) => kindOf({ type }))).toEqual(['call', 'call']);
    expect(kindOf({ type: 37 })).toBe('comment');
    expect(kindOf({ type: 25 })).toBe('activity');
  });

  it('draws a bubble with its direction, channel and status, and a failure with the carrier’s error', () => {
    const sent = render(
      <MessageView
        message={message({ direction: 'outbound', status: 'read', messageType: 'TYPE_WHATSAPP', type: 19 })}
      />,
    );
    expect(sent).toContain('class="message outbound kind-bubble"');
    expect(sent).toContain('WhatsApp');
    expect(sent).toContain('Read');
    const failed = render(
      <MessageView
        message={message({
          direction: 'outbound',
          status: 'failed',
          error: { code: '30007', message: 'Carrier violation' },
        })}
      />,
    );
    expect(failed).toContain('Failed');
    expect(failed).toContain('30007: Carrier violation');
  });

  it('keeps hostile text as text and links only http(s) attachments', () => {
    const html = render(
      <MessageView
        message={message({
          body: `${XSS} <a href="javascript:alert(2)">x</a>`,
          attachments: [
            'javascript:alert(3)',
            'https://files.example.com/a/photo.png',
            'https://files.example.com/a/report.pdf',
          ],
        })}
      />,
    );
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(html).not.toMatch(/href="javascript:/);
    expect(html).toContain('<span class="inert">javascript:alert(3)</span>');
    expect(html).toContain('src="https://files.example.com/a/photo.png"');
    expect(html).toContain('href="https://files.example.com/a/report.pdf"');
    expect(safeUrl('data:text/html,hi')).toBeNull();
  });

  it('marks internal comments and activity lines apart from the conversation', () => {
    expect(
      render(<MessageView message={message({ type: 37, messageType: 'TYPE_INTERNAL_COMMENT', body: 'note' })} />),
    ).toContain('Internal comment');
    const activity = render(
      <MessageView message={message({ type: 31, messageType: 'TYPE_ACTIVITY_APPOINTMENT', body: 'Booked' })} />,
    );
    expect(activity).toContain('class="activity"');
    expect(activity).toContain('Appointment activity');
  });

  it('draws a call with its status and duration, and the buttons for its recording and transcript', () => {
    const html = render(
      <MessageView
        message={message({
          type: 1,
          messageType: 'TYPE_CALL',
          body: '',
          meta: { callDuration: '75', callStatus: 'no-answer' },
        })}
      />,
    );
    expect(html).toContain('Incoming call · no answer · 1:15');
    expect(html).toContain('Play recording');
    expect(html).toContain('Show transcript');
  });

  it('offers to cancel a scheduled message', () => {
    const html = render(
      <MessageView
        message={message({ status: 'scheduled', direction: 'outbound' })}
        actions={{ onCancelScheduled: () => {} }}
      />,
    );
    expect(html).toContain('Scheduled');
    expect(html).toContain('Cancel');
  });

  it('draws an email with its headers, and its HTML in a sandboxed frame with a CSP that forbids scripts', () => {
    const client = new QueryClient();
    const email: Email = {
      id: 'e1',
      subject: XSS,
      body: '<p>Hi</p><script>alert(1)</script>',
      from: 'Clinic <clinic@example.com>',
      to: ['ana@example.com'],
      cc: ['boss@example.com'],
      bcc: [],
      status: 'delivered',
      direction: 'outbound',
      attachments: [],
      dateAdded: '2026-03-01T15:04:00.000Z',
    };
    client.setQueryData(keys.email('e1'), email);
    const html = render(
      <MessageView
        message={message({ type: 3, messageType: 'TYPE_EMAIL', meta: { email: { messageIds: ['e1'] } } })}
      />,
      client,
    );
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</h3>');
    expect(html).toContain('Clinic &lt;clinic@example.com&gt;');
    expect(html).toContain('boss@example.com');
    expect(html).toMatch(/<iframe[^>]*sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"/);
    const document = frameDocument(email.body);
    expect(document).toContain(`content="default-src 'none'; script-src 'none';`);
    expect(document.indexOf('Content-Security-Policy')).toBeLessThan(document.indexOf('<script>'));
  });
});
