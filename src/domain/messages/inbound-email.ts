// Email received by Switchboard itself (the inbound SMTP listener, or an operator posting raw RFC 822) recorded as an
// inbound Email message through the inbound use case, so domain events and webhooks follow as for the API:
// - a reply (In-Reply-To / References naming an email of the location) lands in that email's thread;
// - anything else starts a new thread in the conversation of the sender's contact, created if the address is new;
// - an email already recorded (same Message-ID in the location) is recorded once, however often it is handed over.
import { Readable } from 'node:stream';
import type { ReceivedEmail } from '../../mail/parse.js';
import type { Store } from '../../store/database.js';
import {
  type EmailRow,
  findEmailByRfcId,
  findEmailsByRfcIds,
  findThreadEmail,
} from '../../store/repositories/emails.js';
import { findLocation } from '../../store/repositories/locations.js';
import type { Tx } from '../../store/unit-of-work.js';
import type { Clock } from '../clock.js';
import { normaliseEmail } from '../contact-fields.js';
import { contactForEmailSender } from '../contacts.js';
import { DomainError, notFound } from '../errors.js';
import { type Candidate, discardAll, type FileService } from '../files.js';
import { type ProcessInput, processMessage } from './inbound.js';

export interface InboundEmailDeps {
  store: Store;
  clock: Clock;
  files: FileService;
  emailDomain: string;
  maxAttachmentBytes: number;
}

export interface InboundEmailResult {
  locationId: string;
  conversationId: string;
  messageId: string;
  emailMessageId: string;
  contactId: string;
  /** threaded: a reply landed in its thread; new_thread: a thread was started; duplicate: recorded before. */
  outcome: 'threaded' | 'new_thread' | 'duplicate';
}

/** Addresses Switchboard can record; one it cannot (an odd Cc) is left out rather than refusing the email. */
function usable(addresses: readonly string[]): string[] {
  return addresses.flatMap((address) => {
    try {
      return [normaliseEmail(address)];
    } catch {
      return [];
    }
  });
}

function duplicateOf(email: EmailRow): InboundEmailResult {
  return {
    locationId: email.location_id,
    conversationId: email.conversation_id,
    messageId: email.message_id,
    emailMessageId: email.id,
    contactId: email.contact_id,
    outcome: 'duplicate',
  };
}

export class InboundEmailService {
  constructor(private readonly deps: InboundEmailDeps) {}

  /** Whether an envelope recipient may be for Switchboard: an address at EMAIL_DOMAIN. */
  acceptsRecipient(address: string): boolean {
    const at = address.lastIndexOf('@');
    return at > 0 && address.slice(at + 1).toLowerCase() === this.deps.emailDomain.toLowerCase();
  }

  /**
   * The locations an email the SMTP listener accepted is for: each recipient `<locationId>[+tag]@EMAIL_DOMAIN` of an
   * existing location; failing those, the locations of the emails it replies to (any address at EMAIL_DOMAIN, such
   * as the default sender `noreply@…` a contact answers).
   */
  async locationsFor(recipients: readonly string[], email: ReceivedEmail): Promise<string[]> {
    const db = this.deps.store.db;
    const named = new Set<string>();
    for (const recipient of recipients) {
      if (!this.acceptsRecipient(recipient)) continue;
      const local = recipient.slice(0, recipient.lastIndexOf('@')).split('+')[0] ?? '';
      if (local !== '' && (await findLocation(db, local))) named.add(local);
    }
    if (named.size > 0) return [...named];
    const threads = await findEmailsByRfcIds(db, email.threadIds);
    for (const id of email.threadIds) {
      const matches = threads.filter((row) => row.rfc_message_id === id);
      if (matches.length > 0) return [...new Set(matches.map((row) => row.location_id))];
    }
    return [];
  }

  /** Records the email in a location (the operators' parse endpoint names it; the SMTP listener routes to it). */
  async receive(locationId: string, email: ReceivedEmail): Promise<InboundEmailResult> {
    const { store } = this.deps;
    if (!(await findLocation(store.db, locationId))) throw notFound('Location');
    const from = email.from;
    if (!from || usable([from.address]).length === 0) {
      throw new DomainError('BAD_REQUEST', 'The email has no usable From address');
    }
    const known = email.messageId ? await findEmailByRfcId(store.db, locationId, email.messageId) : undefined;
    if (known) return duplicateOf(known);
    const attachments = await this.storeAttachments(locationId, email);
    // The same email raced in twice: the unique Message-ID kept one, which the second attempt answers.
    return store.unit((tx) => this.record(tx, locationId, email, attachments), { onUniqueViolation: 'retry' });
  }

  private async record(
    tx: Tx,
    locationId: string,
    email: ReceivedEmail,
    attachments: string[],
  ): Promise<InboundEmailResult> {
    const now = this.deps.clock.now();
    const db = tx.db;
    if (email.messageId) {
      const known = await findEmailByRfcId(db, locationId, email.messageId);
      if (known) return duplicateOf(known);
    }
    const thread = await findThreadEmail(db, locationId, email.threadIds);
    const sender = email.from as NonNullable<ReceivedEmail['from']>;
    const to = usable(email.to);
    const content: Omit<ProcessInput, 'type'> = {
      direction: 'inbound',
      html: email.html,
      emailFrom: sender.address,
      emailCc: usable(email.cc),
      attachments,
      ...(email.subject !== null ? { subject: email.subject } : {}),
      ...(to[0] ? { emailTo: to[0] } : {}),
    };
    const input: ProcessInput = thread
      ? { type: 'Email', conversationId: thread.conversation_id, emailMessageId: thread.id, ...content }
      : { type: 'Email', contactId: (await contactForEmailSender(db, locationId, sender, now)).id, ...content };
    const ctx = { tx, db, locationId, now, emailDomain: this.deps.emailDomain };
    const result = await processMessage(ctx, input, {
      ...(email.messageId ? { rfcMessageId: email.messageId } : {}),
      to,
    });
    return {
      locationId,
      conversationId: result.conversationId,
      messageId: result.messageId,
      emailMessageId: result.emailMessageId as string,
      contactId: result.contactId,
      outcome: thread ? 'threaded' : 'new_thread',
    };
  }

  /**
   * Attachments become stored files of the location (their URLs go on the email). One of a type Switchboard does
   * not store (docs/behaviour.md#upload-limits) or too large is left out: the email itself is still recorded.
   */
  private async storeAttachments(locationId: string, email: ReceivedEmail): Promise<string[]> {
    const { files, maxAttachmentBytes } = this.deps;
    const candidates: Candidate[] = [];
    try {
      for (const attachment of email.attachments) {
        try {
          candidates.push(
            await files.stage(Readable.from([attachment.content]), attachment.filename, maxAttachmentBytes),
          );
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
        }
      }
    } catch (error) {
      await discardAll(candidates);
      throw error;
    }
    if (candidates.length === 0) return [];
    const rows = await files.persist(locationId, null, candidates, 'upload');
    return rows.map((row) => files.urlOf(row));
  }
}
