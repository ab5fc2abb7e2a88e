// What a conversation provider reports about a message it was handed (docs/behaviour.md#provider-reports): its delivery
// status (PUT .../messages/{id}/status, per email and per recipient for email threads), and the recording or files of
// an external call (PUT .../messages/{id}/attachments).
import type { Store } from '../../store/database.js';
import type { Executor } from '../../store/executor.js';
import { type EmailRow, emailsOfMessage, findEmail } from '../../store/repositories/emails.js';
import { findMessage, lockMessage, type MessageRow } from '../../store/repositories/messages.js';
import type { Tx } from '../../store/unit-of-work.js';
import type { Clock } from '../clock.js';
import { type RecipientStatus, type RecipientUpdate, upsertRecipients } from '../email-status.js';
import { DomainError, notFound } from '../errors.js';
import { attachedFileIds, releaseFiles } from '../file-release.js';
import { isEmailCode } from '../message-types.js';
import { requireProviderOwner } from '../providers.js';
import { requireAttachmentUrls } from './attachment-urls.js';
import { moved } from './lifecycle.js';

export type ProviderStatus = 'delivered' | 'failed' | 'pending' | 'read';

/** What a (simulated) carrier reports: a provider's statuses, and `undelivered`. */
export type CarrierStatus = 'delivered' | 'read' | 'failed' | 'undelivered';

/** Who reports: a provider's app (it must own the message's provider), or the sandbox's simulated carrier. */
export type StatusReporter = { appId: string | null } | 'carrier';

export interface ProviderError {
  code: string;
  type: string;
  message: string;
}

/**
 * A recipient's own outcome: an address (taking the request's status) or `{emailId, status}`
 * (docs/behaviour.md#lenient-inputs).
 */
export type RecipientReport = string | { emailId: string; status?: string; failReason?: string };

export interface StatusUpdateInput {
  status: ProviderStatus | 'undelivered';
  error?: ProviderError;
  emailMessageId?: string;
  recipients?: RecipientReport[];
}

export interface StatusUpdateResult {
  conversationId: string;
  messageId: string;
  status: StatusUpdateInput['status'];
  emailMessageId?: string;
}

/** At most this many files on a call, as the spec says. */
export const MAX_CALL_ATTACHMENTS = 5;

const messageNotFound = () => notFound('Message');

/**
 * Only a provider knows a message's fate: messages Switchboard did not hand to one are not theirs to report on, and
 * only the app owning the message's provider may report (docs/behaviour.md#provider-reports).
 */
async function requireReportable(db: Executor, message: MessageRow, reporter: StatusReporter): Promise<void> {
  if (reporter === 'carrier') {
    // A carrier reports on what was sent out, whichever way it went (dev outbox, SMTP or a provider).
    if (message.direction !== 'outbound')
      throw new DomainError('BAD_REQUEST', 'Only outbound messages have carrier reports');
  } else {
    if (!message.conversation_provider_id) {
      throw new DomainError('FORBIDDEN', 'Message was not sent through a conversation provider');
    }
    await requireProviderOwner(db, message.conversation_provider_id, reporter.appId);
  }
}

/** The email a report concerns: the one named, else the newest of the thread. */
async function targetEmail(db: Executor, message: MessageRow, input: StatusUpdateInput): Promise<EmailRow | null> {
  if (input.emailMessageId) {
    const email = await findEmail(db, message.location_id, input.emailMessageId);
    if (!email || email.message_id !== message.id) {
      throw new DomainError('BAD_REQUEST', `Email message not found for emailMessageId:${input.emailMessageId}`);
    }
    return email;
  }
  if (!isEmailCode(message.type)) return null;
  return (await emailsOfMessage(db, message.id)).at(-1) ?? null;
}

/** Upserts each recipient's outcome by address (as the email status report does); each must be a recipient. */
function mergeRecipients(
  email: EmailRow,
  reports: RecipientReport[],
  status: StatusUpdateInput['status'],
  now: number,
): RecipientStatus[] {
  const originals = [...email.to_addresses, ...email.cc, ...email.bcc];
  const updates: RecipientUpdate[] = reports.map((report) =>
    typeof report === 'string' ? { emailId: report, status } : { ...report, status: report.status ?? status },
  );
  const stored = email.recipients;
  const upserted = upsertRecipients(stored, updates, originals, new Date(now).toISOString());
  if (!upserted.ok) {
    throw new DomainError('BAD_REQUEST', `Not a recipient of this email: ${upserted.unknown.join(', ')}`);
  }
  return upserted.recipients;
}

async function isNewestEmail(db: Executor, email: EmailRow): Promise<boolean> {
  return (await emailsOfMessage(db, email.message_id)).at(-1)?.id === email.id;
}

export async function updateMessageStatus(
  tx: Tx,
  locationId: string,
  messageId: string,
  input: StatusUpdateInput,
  now: number,
  reporter: StatusReporter,
): Promise<StatusUpdateResult> {
  const db = tx.db;
  // Locked: reports on several recipients of one email may arrive at once, each adding to the same list.
  const message = await lockMessage(db, locationId, messageId);
  if (!message) throw messageNotFound();
  await requireReportable(db, message, reporter);
  // The lifecycle refuses a report on a message not yet handed over (still scheduled).
  const report = { kind: 'report', status: input.status } as const;
  const status = moved(message.status, report);
  const email = await targetEmail(db, message, input);
  const recipients = input.recipients ?? [];
  if (recipients.length > 0 && !email) {
    throw new DomainError('BAD_REQUEST', 'recipients apply to email messages only');
  }
  // A new error replaces the old; a later success clears it; a failure reported without one keeps what was known.
  const error = input.error ? { ...input.error } : input.status === 'failed' ? message.error : null;
  // The thread's message shows its newest email's fate, not a late report on an earlier one.
  if (!email || !input.emailMessageId || (await isNewestEmail(db, email))) {
    await tx.messages.update(message, { status, error, date_updated: now });
  }
  if (email) {
    await tx.emails.update(email, {
      status: moved(email.status, report, 'Email message'),
      date_updated: now,
      ...(recipients.length > 0 ? { recipients: mergeRecipients(email, recipients, input.status, now) } : {}),
    });
  }
  return {
    conversationId: message.conversation_id,
    messageId: message.id,
    status: input.status,
    ...(email ? { emailMessageId: email.id } : {}),
  };
}

/** Only external call logs carry provider-hosted files (a recording, a voicemail) that can be replaced. */
function supportsAttachments(message: MessageRow): boolean {
  return message.type === 34 || (message.type === 1 && message.sub_type === 'EXTERNAL_CALL');
}

export async function replaceCallAttachments(
  tx: Tx,
  locationId: string,
  messageId: string,
  attachments: string[],
  now: number,
) {
  const message = await findMessage(tx.db, locationId, messageId);
  if (!message) throw messageNotFound();
  if (!supportsAttachments(message)) {
    throw new DomainError('FORBIDDEN', 'Message type does not support attachment updates');
  }
  requireAttachmentUrls(attachments);
  if (attachments.length > MAX_CALL_ATTACHMENTS) {
    throw new DomainError('VALIDATION_FAILED', [
      `attachments must contain no more than ${MAX_CALL_ATTACHMENTS} elements`,
    ]);
  }
  await tx.messages.update(message, { attachments, date_updated: now });
  // A stored file the message no longer names goes, as it would had the message been deleted, unless another
  // message or email still names it.
  const kept = new Set(attachedFileIds(attachments));
  const dropped = attachedFileIds(message.attachments).filter((id) => !kept.has(id));
  if (dropped.length > 0) await releaseFiles(tx.db, locationId, dropped, now);
  return { success: true as const, messageId: message.id, attachments };
}

export class MessageStatusService {
  constructor(private readonly deps: { store: Store; clock: Clock }) {}

  /**
   * `reporter` is the reporting token's app, which must own the message's provider, or the sandbox's simulated
   * carrier (POST /admin/v1/locations/{id}/messages/{id}/carrier), which may report on any outbound message.
   */
  async updateStatus(
    locationId: string,
    messageId: string,
    input: StatusUpdateInput,
    reporter: StatusReporter,
  ): Promise<StatusUpdateResult> {
    const { store, clock } = this.deps;
    return store.unit((tx) => updateMessageStatus(tx, locationId, messageId, input, clock.now(), reporter));
  }

  async replaceAttachments(locationId: string, messageId: string, attachments: string[]) {
    const { store, clock } = this.deps;
    return store.unit((tx) => replaceCallAttachments(tx, locationId, messageId, attachments, clock.now()));
  }
}
