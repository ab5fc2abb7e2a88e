// Operations on one email of a thread: read it, take a custom provider's status report, cancel its schedule.
// Each write runs in one transaction that first takes the email row's lock, so concurrent reports add up.
import type { Store } from '../../store/database.js';
import type { Executor } from '../../store/executor.js';
import {
  deleteEmail,
  type EmailRow,
  emailsOfMessage,
  findEmail,
  updateEmail,
} from '../../store/repositories/emails.js';
import { cancelPendingJobs, wasDeliveryCancelled } from '../../store/repositories/jobs.js';
import { deleteMessage, lockMessage, updateMessage } from '../../store/repositories/messages.js';
import type { Clock } from '../clock.js';
import { applyEventReport, type EmailEvents, type RecipientUpdate, upsertRecipients } from '../email-status.js';
import { DomainError, notFound } from '../errors.js';
import { releaseMessageFiles } from '../file-release.js';
import { requireProviderOwner } from '../providers.js';
import { moved, type ReportedStatus, transition } from './lifecycle.js';
import { textOf } from './summary.js';

export interface EmailServiceDeps {
  store: Store;
  clock: Clock;
  /** The job kind that delivers emails: a cancelled job of it remembers a cancelled schedule. */
  deliverKind: string;
}

export interface EmailStatusReport {
  status: ReportedStatus;
  events?: EmailEvents;
  recipients?: RecipientUpdate[];
}

export interface EmailStatusResult {
  success: true;
  message: string;
}

export interface CancelScheduleResult {
  status: 200;
  message: string;
}

/**
 * Cancel answers carry the CancelScheduledResponseDto fields (`status`, `message`) on errors too
 * (docs/behaviour.md#cancel-schedule).
 */
function cancelRefused(code: 'NOT_FOUND' | 'BAD_REQUEST', message: string): DomainError {
  return new DomainError(code, message, { status: code === 'NOT_FOUND' ? 404 : 400 });
}

function forbidden(message: string): DomainError {
  return new DomainError('FORBIDDEN', message);
}

/**
 * Re-reads the email after a no-op write on its row: on PostgreSQL the write takes the row lock until commit, so
 * what the caller merges into is the latest committed state (SQLite runs one write transaction at a time anyway).
 */
/** Locks an email for update: its thread message first, then the email, the order every writer takes. */
async function lockEmail(db: Executor, email: EmailRow, now: number): Promise<EmailRow> {
  await lockMessage(db, email.location_id, email.message_id);
  await updateEmail(db, email.id, { date_updated: now });
  const locked = await findEmail(db, email.location_id, email.id);
  if (!locked) throw notFound('Email message');
  return locked;
}

/** The thread's message mirrors its latest email (status, and the body shown in the conversation). */
async function syncThreadMessage(db: Executor, messageId: string, now: number): Promise<void> {
  const latest = (await emailsOfMessage(db, messageId)).at(-1);
  if (!latest) await deleteMessage(db, messageId);
  else await updateMessage(db, messageId, { status: latest.status, body: textOf(latest.body), date_updated: now });
}

export class EmailService {
  constructor(private readonly deps: EmailServiceDeps) {}

  async get(locationId: string, id: string): Promise<EmailRow> {
    const email = await findEmail(this.deps.store.db, locationId, id);
    if (!email) throw notFound('Email message');
    return email;
  }

  /**
   * A custom provider reports what became of an email it sent (spec: update-email-message-status); `appId` is the
   * reporting token's app, which must own the email's provider.
   */
  async updateStatus(
    locationId: string,
    id: string,
    report: EmailStatusReport,
    appId: string | null,
  ): Promise<EmailStatusResult> {
    const { store, clock } = this.deps;
    await store.unit(async (tx) => {
      const db = tx.db;
      const found = await findEmail(db, locationId, id);
      if (!found) throw notFound('Email message');
      if (!found.conversation_provider_id) {
        throw forbidden('Status updates are only supported for custom conversation provider emails');
      }
      if (found.direction !== 'outbound') throw forbidden('Status updates are only supported for outbound emails');
      await requireProviderOwner(db, found.conversation_provider_id, appId);
      const now = clock.now();
      const email = await lockEmail(db, found, now);
      // Until its scheduled time the email has not left: no provider can report on it yet.
      if (email.scheduled_at !== null) throw new DomainError('BAD_REQUEST', 'Email message has not been sent yet');
      const at = new Date(now).toISOString();
      const originals = [...email.to_addresses, ...email.cc, ...email.bcc];
      let recipients = email.recipients;
      if (report.recipients?.length) {
        const upserted = upsertRecipients(recipients, report.recipients, originals, at);
        if (!upserted.ok) {
          throw new DomainError('BAD_REQUEST', `Not a recipient of this email: ${upserted.unknown.join(', ')}`);
        }
        recipients = upserted.recipients;
      }
      const { events, timestamps } = applyEventReport(
        {
          events: email.events,
          timestamps: email.event_first_at,
          openTracking: email.open_tracking,
        },
        report.events ?? {},
        at,
      );
      const status = moved(email.status, { kind: 'report', status: report.status }, 'Email message');
      await tx.emails.update(email, {
        status,
        events,
        event_first_at: timestamps,
        recipients,
        date_updated: now,
      });
      const latest = (await emailsOfMessage(db, email.message_id)).at(-1);
      if (latest?.id === email.id) {
        await tx.messages.update({ id: email.message_id, location_id: locationId }, { status, date_updated: now });
      }
    });
    return { success: true, message: 'Updated email message successfully' };
  }

  /**
   * Cancels a scheduled email: its pending delivery is cancelled and the email removed (with its thread message
   * when no other email is left in it). The cancelled job remembers the email, so a second cancel answers 400.
   */
  async cancelScheduled(locationId: string, emailId: string): Promise<CancelScheduleResult> {
    const { store, clock, deliverKind } = this.deps;
    return store.unit(async ({ db }) => {
      const found = await findEmail(db, locationId, emailId);
      if (!found) {
        if (await wasDeliveryCancelled(db, store.engine, deliverKind, locationId, emailId))
          throw cancelRefused('BAD_REQUEST', 'Scheduled email message already cancelled');
        throw cancelRefused('NOT_FOUND', 'Scheduled email message not found');
      }
      const now = clock.now();
      const email = await lockEmail(db, found, now);
      transition(email.status, { kind: 'cancel' }, 'Email message'); // refuses an email no longer scheduled
      if (email.scheduled_at === null) {
        throw cancelRefused('BAD_REQUEST', 'Email message is not scheduled: it has already been sent');
      }
      // None pending: the runner has claimed the delivery and is sending it right now.
      if ((await cancelPendingJobs(db, email.id, now)) === 0) {
        throw cancelRefused('BAD_REQUEST', 'Email message is already being sent');
      }
      await deleteEmail(db, email.id);
      await syncThreadMessage(db, email.message_id, now);
      await releaseMessageFiles(db, [email], now);
      return { status: 200, message: 'Scheduled email message cancelled successfully' };
    });
  }
}
