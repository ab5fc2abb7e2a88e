// Cancelling a scheduled message (DELETE /conversations/messages/{messageId}/schedule): its pending delivery
// jobs are cancelled and the unsent message (or the unsent emails of a thread) deleted, in one transaction.
// A scheduled message never counted towards the conversation summary, so the summary is left as it is.

import type { Store } from '../../store/database.js';
import type { Executor } from '../../store/executor.js';
import { deleteEmail, type EmailRow, emailsOfMessage } from '../../store/repositories/emails.js';
import { cancelPendingJobs, wasDeliveryCancelled } from '../../store/repositories/jobs.js';
import { deleteMessage, findMessage, type MessageRow, updateMessage } from '../../store/repositories/messages.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import { releaseMessageFiles } from '../file-release.js';
import { transition } from './lifecycle.js';

export interface CancelScheduledResult {
  status: 200;
  message: string;
}

export interface ScheduleServiceDeps {
  store: Store;
  clock: Clock;
  /** The job kind that delivers messages, whose pending jobs a cancel cancels. */
  deliverKind: string;
}

/**
 * docs/behaviour.md#cancel-schedule: an unknown message answers 404 and one that is no longer scheduled 400, both with
 * the `{status, message}` body the success answers (the `status` detail), beside the usual error envelope.
 */
function cancelRefused(code: 'NOT_FOUND' | 'BAD_REQUEST', message: string): DomainError {
  return new DomainError(code, message, { status: code === 'NOT_FOUND' ? 404 : 400 });
}

const alreadySent = () => cancelRefused('BAD_REQUEST', 'Message is not scheduled: it has already been sent');
// The job was claimed by a runner a moment ago: the message is going out and can no longer be stopped.
const beingSent = () => cancelRefused('BAD_REQUEST', 'Message is not scheduled: it is being sent');

export class ScheduleService {
  constructor(private readonly deps: ScheduleServiceDeps) {}

  async cancelScheduledMessage(locationId: string, messageId: string): Promise<CancelScheduledResult> {
    const { store, clock, deliverKind } = this.deps;
    await store.unit(async ({ db }) => {
      const message = await findMessage(db, locationId, messageId);
      if (!message) {
        if (await wasDeliveryCancelled(db, store.engine, deliverKind, locationId, messageId)) {
          throw cancelRefused('BAD_REQUEST', 'Scheduled message has already been cancelled');
        }
        throw cancelRefused('NOT_FOUND', 'Message not found');
      }
      const emails = await emailsOfMessage(db, message.id);
      if (emails.length > 0) await cancelScheduledEmails(db, message, emails, clock.now());
      else await cancelScheduledSingle(db, message, clock.now());
    });
    return { status: 200, message: 'Scheduled message cancelled successfully' };
  }
}

/** A message of any channel but email: one delivery job, subject the message. */
async function cancelScheduledSingle(db: Executor, message: MessageRow, now: number): Promise<void> {
  transition(message.status, { kind: 'cancel' }); // refuses a message no longer scheduled
  if ((await cancelPendingJobs(db, message.id, now)) === 0) throw beingSent();
  await deleteMessage(db, message.id);
  await releaseMessageFiles(db, [message], now);
}

/**
 * An email thread: every scheduled email of it is cancelled. A thread that was opened by a scheduled email
 * (nothing of it sent yet) goes entirely; an existing thread keeps the emails it has already sent.
 */
async function cancelScheduledEmails(db: Executor, message: MessageRow, emails: EmailRow[], now: number) {
  const scheduled = emails.filter((email) => email.status === 'scheduled');
  if (scheduled.length === 0) throw alreadySent();
  for (const email of scheduled) {
    if ((await cancelPendingJobs(db, email.id, now)) === 0) throw beingSent();
  }
  if (scheduled.length === emails.length) {
    await deleteMessage(db, message.id);
    await releaseMessageFiles(db, [message, ...emails], now);
    return;
  }
  for (const email of scheduled) await deleteEmail(db, email.id);
  await updateMessage(db, message.id, { date_updated: now });
  await releaseMessageFiles(db, scheduled, now);
}
