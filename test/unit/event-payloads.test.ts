// Stored event payloads as consumers read them: versioned records rendered by the presenters, and events
// recorded before payloads were versioned read as they were stored.
import { describe, expect, it } from 'vitest';
import { presentStoredPayload, recordsOf, storedPayload } from '../../src/events/payload.js';
import type { RecordedPayload } from '../../src/events/types.js';

describe('event payloads', () => {
  it('reads an unversioned payload (the wire shape of its day) as it was stored', () => {
    const legacy = {
      conversation: {
        id: 'c1',
        contactId: 'k1',
        locationId: 'L1',
        unreadCount: 2,
        inbox: true,
        starred: false,
        deleted: false,
        assignedTo: null,
        lastMessageBody: 'hi',
        lastMessageType: 'TYPE_SMS',
        lastMessageDate: 1,
      },
      message: { id: 'm1', body: 'hi', messageType: 'TYPE_SMS' },
      changes: ['lastMessage' as const],
    };
    expect(presentStoredPayload(legacy)).toBe(legacy);
  });

  it('stores records as their rows are stored (JSON as text), and reads them back as records', () => {
    const stored: RecordedPayload = JSON.parse(
      JSON.stringify({
        v: 1,
        conversation: {
          id: 'c1',
          contact_id: 'k1',
          location_id: 'L1',
          unread_count: 1,
          inbox: 1,
          starred: 0,
          last_message_direction: null,
        },
        message: {
          seq: 4,
          id: 'm1',
          location_id: 'L1',
          conversation_id: 'c1',
          contact_id: 'k1',
          type: 2,
          channel: 'SMS',
          direction: 'outbound',
          status: 'failed',
          body: 'hi',
          content_type: 'text/plain',
          attachments: '["https://example.com/a.png"]',
          meta: '{"to":"+15550100"}',
          source: 'api',
          sub_type: null,
          user_id: null,
          conversation_provider_id: null,
          alt_key: null,
          alt_id: null,
          thread_id: null,
          chat_widget_id: null,
          error: 'carrier said no',
          scheduled_at: null,
          date_added: 1,
          date_updated: 2,
        },
      }),
    );
    const records = recordsOf(stored);
    expect(records.message).toMatchObject({
      attachments: ['https://example.com/a.png'],
      meta: { to: '+15550100' },
      error: { message: 'carrier said no' },
    });
    const again = storedPayload(records);
    expect(again.message).toMatchObject({ attachments: stored.message?.attachments, meta: stored.message?.meta });
    expect(presentStoredPayload(stored).message).toMatchObject({
      attachments: ['https://example.com/a.png'],
      error: { message: 'carrier said no' },
    });
  });
});
