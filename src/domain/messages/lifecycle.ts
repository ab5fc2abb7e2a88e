// The message lifecycle in one table: every status a message (or one email of a thread) can have, and what each
// event that moves it does from each status. Every status change goes through `transition`; a change the table
// refuses is a domain error in the API's shape (docs/behaviour.md#message-lifecycle).
import type { MessageStatus } from '../../store/schema.js';
import { DomainError } from '../errors.js';

export type { MessageStatus };

/** The statuses a message has, as the spec's message and email response schemas list them. */
export const MESSAGE_STATUSES: readonly MessageStatus[] = [
  'scheduled',
  'pending',
  'queued',
  'sent',
  'delivered',
  'read',
  'opened',
  'clicked',
  'connected',
  'failed',
  'undelivered',
  'opt_out',
];

/** What a provider or carrier may report a message has become (the spec's message and email status bodies). */
export type ReportedStatus = Exclude<MessageStatus, 'queued' | 'opt_out'>;

/** What moves a message along. */
export type LifecycleEvent =
  /** Its scheduled time came: it is being sent now. */
  | { kind: 'due' }
  /** The outcome of Switchboard's own delivery: the dev outbox, SMTP or a provider's delivery URL. */
  | { kind: 'delivery'; outcome: 'sent' | 'delivered' | 'failed' }
  /** A provider (or the sandbox's carrier) reports on a message handed to it. */
  | { kind: 'report'; status: ReportedStatus }
  /** A new outbound email of the thread is sent now, or an inbound one arrives: the thread shows the newest email. */
  | { kind: 'newest-email'; status: 'pending' | 'delivered' }
  /** A scheduled message is cancelled: it goes. */
  | { kind: 'cancel' };

/** Which row the change is about, as error messages name it. */
export type Subject = 'Message' | 'Email message';

/** What an event does from one status: move to a status, leave the message as it is, remove it, or refuse. */
type Rule = MessageStatus | 'unchanged' | 'removed' | ((subject: Subject) => DomainError);

type Table = {
  [Kind in LifecycleEvent['kind']]: (from: MessageStatus, event: Extract<LifecycleEvent, { kind: Kind }>) => Rule;
};

const notHandedOver = (subject: Subject) =>
  new DomainError('BAD_REQUEST', `${subject} is scheduled and has not been handed to the provider yet`);
const alreadyLeft = (subject: Subject) =>
  new DomainError('BAD_REQUEST', `${subject} has been sent: it cannot be scheduled again`);
// A refused cancel carries the `{status}` detail its success answers with (docs/behaviour.md#cancel-schedule).
const notScheduled = (subject: Subject) =>
  new DomainError('BAD_REQUEST', `${subject} is not scheduled: it has already been sent`, { status: 400 });

const TABLE: Table = {
  // Only a scheduled message comes due; a job that finds it already sent (a re-run) changes nothing.
  due: (from) => (from === 'scheduled' ? 'pending' : 'unchanged'),
  // The delivery's own outcome lands only on a message still waiting for it: a provider may have reported it
  // delivered (or read) before its delivery URL even answered, and that report stands.
  delivery: (from, event) => (from === 'pending' ? event.outcome : 'unchanged'),
  // A provider reports on what it was handed, in whatever order its reports arrive; nothing it says can make a sent
  // message scheduled again.
  report: (from, event) => {
    if (from === 'scheduled') return notHandedOver;
    if (event.status === 'scheduled') return alreadyLeft;
    return event.status;
  },
  // A scheduled reply does not move its thread: the thread keeps its status until the reply is sent.
  'newest-email': (_from, event) => event.status,
  cancel: (from) => (from === 'scheduled' ? 'removed' : notScheduled),
};

/**
 * The status a message moves to on `event` from `from`, `null` when the event leaves it as it is, or `'removed'`
 * for a cancelled scheduled message. Throws the domain error of a refused change.
 */
export function transition(
  from: MessageStatus,
  event: LifecycleEvent,
  subject: Subject = 'Message',
): MessageStatus | 'removed' | null {
  const rule = (TABLE[event.kind] as (from: MessageStatus, event: LifecycleEvent) => Rule)(from, event);
  if (typeof rule === 'function') throw rule(subject);
  return rule === 'unchanged' ? null : rule;
}

/** The status `event` moves a row to from `from`, for events that never remove it (the row's own status if unmoved). */
export function moved(
  from: MessageStatus,
  event: Exclude<LifecycleEvent, { kind: 'cancel' }>,
  subject: Subject = 'Message',
): MessageStatus {
  const next = transition(from, event, subject);
  return next === null || next === 'removed' ? from : next;
}

/** Whether a delivery job still has work to do for a message (or email) in this status: to send it, or to send it once due. */
export function awaitsDelivery(status: MessageStatus): boolean {
  return status === 'pending' || status === 'scheduled';
}

/** Whether a status is one of the lifecycle's (a stored or reported value from outside the type system). */
export function isMessageStatus(value: string): value is MessageStatus {
  return (MESSAGE_STATUSES as readonly string[]).includes(value);
}
