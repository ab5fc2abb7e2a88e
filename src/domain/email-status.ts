// The email status rules of PUT /conversations/messages/email/{id}/status, as pure functions: event counters
// merged with inference, first-occurrence timestamps, and per-recipient statuses upserted by address.

import type { EmailEvents, EventTimestamps, RecipientStatus, TimestampedEvent } from '../store/repositories/emails.js';

// The email record's JSON fields: the store decodes them, these rules change them.
export type { EmailEvents, EventTimestamps, RecipientStatus, TimestampedEvent };

export interface RecipientUpdate {
  emailId: string;
  status: string;
  failReason?: string;
}

/** Engagement that can only follow an open and a delivery. */
const IMPLIES_OPENED = ['clicked', 'complained', 'unsubscribed', 'replied'] as const;
/** Outcomes the receiving server can only reach after accepting the message. */
const IMPLIES_ACCEPTED = ['delivered', 'permanent_fail', 'temporary_fail'] as const;
const TIMESTAMPED: readonly TimestampedEvent[] = ['delivered', 'opened', 'clicked'];

const positive = (events: EmailEvents, name: string) => (events[name] ?? 0) > 0;

/**
 * The increments one report adds to the stored counters: the reported non-zero counters, plus each inferred
 * event set to 1 when it is neither reported in this call nor already present in the stored counters (a second
 * click never counts a second delivery). A 0 is a no-op: it neither counts nor triggers an inference. Inference
 * chains: clicked ⇒ delivered ⇒ accepted.
 */
export function inferredIncrements(reported: EmailEvents, stored: EmailEvents, openTracking: boolean): EmailEvents {
  const increments: EmailEvents = {};
  for (const [name, value] of Object.entries(reported)) if (value !== 0) increments[name] = value;
  const imply = (name: string) => {
    if (!positive(increments, name) && !positive(stored, name)) increments[name] = 1;
  };
  if (IMPLIES_OPENED.some((name) => positive(increments, name))) {
    if (openTracking) imply('opened');
    imply('delivered');
  }
  if (positive(increments, 'opened')) imply('delivered');
  if (IMPLIES_ACCEPTED.some((name) => positive(increments, name))) imply('accepted');
  return increments;
}

/** Stored counters plus increments (counters are added, never replaced). */
export function mergeEvents(stored: EmailEvents, increments: EmailEvents): EmailEvents {
  const merged: EmailEvents = { ...stored };
  for (const [name, value] of Object.entries(increments)) merged[name] = (merged[name] ?? 0) + value;
  return merged;
}

/** Records `now` for each timestamped event that has just occurred for the first time. */
export function firstOccurrences(events: EmailEvents, timestamps: EventTimestamps, now: string): EventTimestamps {
  const next: EventTimestamps = { ...timestamps };
  for (const name of TIMESTAMPED) if (positive(events, name) && next[name] === undefined) next[name] = now;
  return next;
}

/** One status report applied to an email's stored counters and timestamps. */
export function applyEventReport(
  stored: { events: EmailEvents; timestamps: EventTimestamps; openTracking: boolean },
  reported: EmailEvents,
  now: string,
): { events: EmailEvents; timestamps: EventTimestamps } {
  const events = mergeEvents(stored.events, inferredIncrements(reported, stored.events, stored.openTracking));
  return { events, timestamps: firstOccurrences(events, stored.timestamps, now) };
}

export type RecipientsResult = { ok: true; recipients: RecipientStatus[] } | { ok: false; unknown: string[] };

/**
 * Upserts per-recipient statuses keyed by address (case-insensitive); each must be one of the email's original
 * recipients (to, cc, bcc). The stored entry keeps the original spelling; a later entry for the same address wins.
 * `failReason` is kept only with the `failed` status.
 */
export function upsertRecipients(
  stored: readonly RecipientStatus[],
  updates: readonly RecipientUpdate[],
  originals: readonly string[],
  now: string,
): RecipientsResult {
  const original = new Map(originals.map((address) => [address.toLowerCase(), address]));
  const unknown = updates.filter((u) => !original.has(u.emailId.trim().toLowerCase())).map((u) => u.emailId);
  if (unknown.length > 0) return { ok: false, unknown: [...new Set(unknown)] };
  const byAddress = new Map(stored.map((entry) => [entry.emailId.toLowerCase(), entry]));
  for (const update of updates) {
    const key = update.emailId.trim().toLowerCase();
    const entry: RecipientStatus = {
      emailId: original.get(key) ?? update.emailId,
      status: update.status,
      dateUpdated: now,
    };
    if (update.status === 'failed' && update.failReason) entry.failReason = update.failReason;
    byAddress.set(key, entry);
  }
  return { ok: true, recipients: [...byAddress.values()] };
}
