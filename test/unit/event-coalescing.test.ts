// A unit of work's intents become one event per subject: repositories record an intent per write, and a client
// hears of each message (or email of a thread) once, after the conversation change it caused.
import { describe, expect, it } from 'vitest';
import { coalesce } from '../../src/events/event-log.js';
import type { EventIntent } from '../../src/events/types.js';

const L = 'L1';
const created = (messageId: string, emailId?: string): EventIntent => ({
  type: 'message.created',
  locationId: L,
  messageId,
  ...(emailId ? { emailId } : {}),
});
const updated = (messageId: string, emailId?: string): EventIntent => ({
  type: 'message.updated',
  locationId: L,
  messageId,
  ...(emailId ? { emailId } : {}),
});
const summary = (conversationId: string, changes: ('lastMessage' | 'unreadCount')[]): EventIntent => ({
  type: 'conversation.updated',
  locationId: L,
  conversationId,
  changes,
});

describe('coalescing a unit’s intents', () => {
  it('folds a write of the thread’s row into the event of the email the unit created', () => {
    // An inbound reply: the thread's row is updated, then its new email inserted.
    expect(coalesce([updated('m1'), created('m1', 'e2')])).toEqual([created('m1', 'e2')]);
    // A new thread: the message, then its first email.
    expect(coalesce([created('m1'), created('m1', 'e1')])).toEqual([created('m1', 'e1')]);
    // A report on one email: the thread and the email both written.
    expect(coalesce([updated('m1'), updated('m1', 'e1')])).toEqual([updated('m1', 'e1')]);
  });

  it('lets a creation absorb updates in either order, and keeps other messages apart', () => {
    expect(coalesce([created('m1'), updated('m1'), updated('m2')])).toEqual([created('m1'), updated('m2')]);
    expect(coalesce([updated('m1'), created('m1')])).toEqual([created('m1')]);
  });

  it('puts the conversation’s changes, merged, before the messages that caused them', () => {
    expect(coalesce([created('m1'), summary('c1', ['lastMessage']), summary('c1', ['unreadCount'])])).toEqual([
      summary('c1', ['lastMessage', 'unreadCount']),
      created('m1'),
    ]);
  });
});
