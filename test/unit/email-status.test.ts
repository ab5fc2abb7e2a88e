// The email status rules, case by case: what one report adds to the stored counters (spec: update-email-message-
// status, "Event Inference"), first-occurrence timestamps, and per-recipient upserts.
import { describe, expect, it } from 'vitest';
import {
  applyEventReport,
  type EmailEvents,
  type EventTimestamps,
  firstOccurrences,
  inferredIncrements,
  mergeEvents,
  upsertRecipients,
} from '../../src/domain/email-status.js';

interface InferenceCase {
  name: string;
  reported: EmailEvents;
  stored?: EmailEvents;
  openTracking?: boolean;
  increments: EmailEvents;
}

const INFERENCE: InferenceCase[] = [
  { name: 'nothing reported adds nothing', reported: {}, increments: {} },
  { name: 'a 0 is a no-op', reported: { delivered: 0, opened: 0 }, increments: {} },
  { name: 'a 0 trigger infers nothing', reported: { clicked: 0 }, increments: {} },
  { name: 'accepted alone infers nothing', reported: { accepted: 2 }, increments: { accepted: 2 } },
  { name: 'delivered ⇒ accepted', reported: { delivered: 1 }, increments: { delivered: 1, accepted: 1 } },
  {
    name: 'permanent_fail ⇒ accepted',
    reported: { permanent_fail: 1 },
    increments: { permanent_fail: 1, accepted: 1 },
  },
  {
    name: 'temporary_fail ⇒ accepted',
    reported: { temporary_fail: 3 },
    increments: { temporary_fail: 3, accepted: 1 },
  },
  { name: 'failed does not imply accepted', reported: { failed: 1 }, increments: { failed: 1 } },
  { name: 'rejected does not imply accepted', reported: { rejected: 1 }, increments: { rejected: 1 } },
  {
    name: 'opened ⇒ delivered ⇒ accepted',
    reported: { opened: 2 },
    increments: { opened: 2, delivered: 1, accepted: 1 },
  },
  ...(['clicked', 'complained', 'unsubscribed', 'replied'] as const).map(
    (trigger): InferenceCase => ({
      name: `${trigger} ⇒ opened, delivered, accepted`,
      reported: { [trigger]: 1 },
      increments: { [trigger]: 1, opened: 1, delivered: 1, accepted: 1 },
    }),
  ),
  {
    name: 'clicked without open tracking ⇒ delivered and accepted, not opened',
    reported: { clicked: 1 },
    openTracking: false,
    increments: { clicked: 1, delivered: 1, accepted: 1 },
  },
  {
    name: 'opened reported directly counts even without open tracking',
    reported: { opened: 1 },
    openTracking: false,
    increments: { opened: 1, delivered: 1, accepted: 1 },
  },
  {
    name: 'a provided value is kept, not replaced by the inferred 1',
    reported: { clicked: 1, opened: 4, delivered: 2, accepted: 3 },
    increments: { clicked: 1, opened: 4, delivered: 2, accepted: 3 },
  },
  {
    name: 'a provided 0 does not stop the inference (0 is the same as absent)',
    reported: { clicked: 1, delivered: 0 },
    increments: { clicked: 1, opened: 1, delivered: 1, accepted: 1 },
  },
  {
    name: 'an event already stored is not inferred again',
    reported: { clicked: 1 },
    stored: { opened: 1, delivered: 1, accepted: 1 },
    increments: { clicked: 1 },
  },
  {
    name: 'a second click adds a click only',
    reported: { clicked: 1 },
    stored: { clicked: 1, opened: 1, delivered: 1, accepted: 1 },
    increments: { clicked: 1 },
  },
  {
    name: 'a stored delivery still lets a first open be inferred',
    reported: { replied: 1 },
    stored: { delivered: 1, accepted: 1 },
    increments: { replied: 1, opened: 1 },
  },
  {
    name: 'a stored 0 counts as absent',
    reported: { opened: 1 },
    stored: { delivered: 0 },
    increments: { opened: 1, delivered: 1, accepted: 1 },
  },
  {
    name: 'unknown provider counters are counted and infer nothing',
    reported: { esp_isp_block: 2, stored: 1 },
    increments: { esp_isp_block: 2, stored: 1 },
  },
];

describe('inferredIncrements', () => {
  it.each(INFERENCE)('$name', ({ reported, stored = {}, openTracking = true, increments }) => {
    expect(inferredIncrements(reported, stored, openTracking)).toEqual(increments);
  });

  it('does not change its inputs', () => {
    const reported = { clicked: 1 };
    const stored = { accepted: 1 };
    inferredIncrements(reported, stored, true);
    expect(reported).toEqual({ clicked: 1 });
    expect(stored).toEqual({ accepted: 1 });
  });
});

describe('mergeEvents', () => {
  it('adds increments to the stored counters and keeps the others', () => {
    expect(mergeEvents({ delivered: 1, opened: 2, bounced: 1 }, { opened: 3, clicked: 1 })).toEqual({
      delivered: 1,
      opened: 5,
      bounced: 1,
      clicked: 1,
    });
  });
});

describe('firstOccurrences', () => {
  const now = '2026-01-15T12:00:00.000Z';
  const earlier = '2026-01-01T00:00:00.000Z';

  it.each<{ name: string; events: EmailEvents; before: EventTimestamps; after: EventTimestamps }>([
    {
      name: 'records delivered, opened and clicked on first occurrence',
      events: { delivered: 1, opened: 1, clicked: 2 },
      before: {},
      after: { delivered: now, opened: now, clicked: now },
    },
    {
      name: 'keeps an earlier timestamp',
      events: { delivered: 3 },
      before: { delivered: earlier },
      after: { delivered: earlier },
    },
    {
      name: 'ignores counters at 0 and untimestamped events',
      events: { opened: 0, accepted: 1, replied: 1 },
      before: {},
      after: {},
    },
  ])('$name', ({ events, before, after }) => {
    expect(firstOccurrences(events, before, now)).toEqual(after);
  });

  it('applies a whole report: merge, inference and timestamps', () => {
    const first = applyEventReport({ events: {}, timestamps: {}, openTracking: true }, { clicked: 1 }, earlier);
    expect(first).toEqual({
      events: { clicked: 1, opened: 1, delivered: 1, accepted: 1 },
      timestamps: { clicked: earlier, opened: earlier, delivered: earlier },
    });
    const second = applyEventReport({ ...first, openTracking: true }, { clicked: 1, opened: 0 }, now);
    expect(second.events).toEqual({ clicked: 2, opened: 1, delivered: 1, accepted: 1 });
    expect(second.timestamps).toEqual(first.timestamps);
  });
});

describe('upsertRecipients', () => {
  const now = '2026-01-15T12:00:00.000Z';
  const originals = ['Ann@Example.com', 'bob@example.com', 'carol@example.com'];

  it('upserts by address, case-insensitively, keeping the original spelling', () => {
    const first = upsertRecipients([], [{ emailId: 'ann@example.com', status: 'delivered' }], originals, now);
    expect(first).toEqual({
      ok: true,
      recipients: [{ emailId: 'Ann@Example.com', status: 'delivered', dateUpdated: now }],
    });
    if (!first.ok) return;
    const second = upsertRecipients(
      first.recipients,
      [
        { emailId: 'ANN@example.com', status: 'opened' },
        { emailId: 'bob@example.com', status: 'failed', failReason: 'Mailbox not found' },
      ],
      originals,
      now,
    );
    expect(second).toEqual({
      ok: true,
      recipients: [
        { emailId: 'Ann@Example.com', status: 'opened', dateUpdated: now },
        { emailId: 'bob@example.com', status: 'failed', failReason: 'Mailbox not found', dateUpdated: now },
      ],
    });
  });

  it('keeps failReason only with the failed status, and a later entry wins', () => {
    const result = upsertRecipients(
      [],
      [
        { emailId: 'carol@example.com', status: 'failed', failReason: 'Quota exceeded' },
        { emailId: 'carol@example.com', status: 'delivered', failReason: 'ignored' },
      ],
      originals,
      now,
    );
    expect(result).toEqual({
      ok: true,
      recipients: [{ emailId: 'carol@example.com', status: 'delivered', dateUpdated: now }],
    });
  });

  it('refuses addresses that were not recipients, naming each once', () => {
    const result = upsertRecipients(
      [],
      [
        { emailId: 'ann@example.com', status: 'delivered' },
        { emailId: 'eve@example.com', status: 'delivered' },
        { emailId: 'eve@example.com', status: 'opened' },
      ],
      originals,
      now,
    );
    expect(result).toEqual({ ok: false, unknown: ['eve@example.com'] });
  });
});
