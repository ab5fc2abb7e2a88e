// Stored event payloads as consumers read them: versioned records rendered by the presenters, and events
// recorded before payloads were versioned read as they were stored.
import { describe, expect, it } from 'vitest';
import { presentEventPayload } from '../../src/presenters/events.js';

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
    expect(presentEventPayload(legacy)).toBe(legacy);
  });
});
