// The message lifecycle's transition table: what each event does from each status, and the changes it refuses.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import {
  awaitsDelivery,
  isMessageStatus,
  type LifecycleEvent,
  MESSAGE_STATUSES,
  moved,
  transition,
} from '../../src/domain/messages/lifecycle.js';

const sent = MESSAGE_STATUSES.filter((status) => status !== 'scheduled');

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('the change was not refused');
}

describe('message lifecycle', () => {
  it('sends a scheduled message when it comes due, and nothing else', () => {
    expect(transition('scheduled', { kind: 'due' })).toBe('pending');
    for (const status of sent) expect(transition(status, { kind: 'due' })).toBeNull();
  });

  it("lands the delivery's own outcome only on a message still waiting for it", () => {
    for (const outcome of ['sent', 'delivered', 'failed'] as const) {
      expect(transition('pending', { kind: 'delivery', outcome })).toBe(outcome);
      for (const status of MESSAGE_STATUSES.filter((s) => s !== 'pending')) {
        expect(transition(status, { kind: 'delivery', outcome })).toBeNull();
      }
    }
  });

  it("takes a provider's reports in any order once the message has left, never before", () => {
    for (const from of sent) {
      for (const status of ['delivered', 'read', 'failed', 'pending', 'undelivered', 'opened'] as const) {
        expect(transition(from, { kind: 'report', status })).toBe(status);
      }
    }
    const early = refusal(() => transition('scheduled', { kind: 'report', status: 'delivered' }));
    expect([early.code, early.message]).toEqual([
      'BAD_REQUEST',
      'Message is scheduled and has not been handed to the provider yet',
    ]);
    const back = refusal(() => moved('delivered', { kind: 'report', status: 'scheduled' }, 'Email message'));
    expect(back.message).toBe('Email message has been sent: it cannot be scheduled again');
  });

  it('removes a cancelled scheduled message and refuses to cancel one that has left, with the status detail', () => {
    expect(transition('scheduled', { kind: 'cancel' })).toBe('removed');
    for (const from of sent) {
      const refused = refusal(() => transition(from, { kind: 'cancel' }));
      expect([refused.code, refused.message, refused.details]).toEqual([
        'BAD_REQUEST',
        'Message is not scheduled: it has already been sent',
        { status: 400 },
      ]);
    }
  });

  it('shows the newest email of a thread, whatever the thread showed before', () => {
    for (const from of MESSAGE_STATUSES) {
      const event: LifecycleEvent = { kind: 'newest-email', status: 'delivered' };
      expect(moved(from, event)).toBe('delivered');
    }
  });

  it('knows its statuses, and which ones a delivery job still has work for', () => {
    expect(MESSAGE_STATUSES.filter(awaitsDelivery)).toEqual(['scheduled', 'pending']);
    expect(isMessageStatus('opt_out')).toBe(true);
    expect(isMessageStatus('cancelled')).toBe(false);
  });
});
