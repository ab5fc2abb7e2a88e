// Simulated carriers and contacts: a carrier's report on an outbound message, and a contact writing in, each through
// the use case a real one takes (a provider's status update, an inbound message), so the status rules, events and
// webhooks are the same.
import type { Store } from '../../store/database.js';
import { findLocation } from '../../store/repositories/locations.js';
import type { Clock } from '../clock.js';
import { normaliseEmail, normalisePhone } from '../contact-fields.js';
import { contactForEmailSender, contactForPhoneSender } from '../contacts.js';
import { DomainError, notFound } from '../errors.js';
import type { ProcessType } from '../message-types.js';
import { requireAttachmentUrls } from '../messages/attachment-urls.js';
import { type ProcessResult, processMessage } from '../messages/inbound.js';
import type { CarrierStatus, MessageStatusService, StatusUpdateResult } from '../messages/status.js';

export interface CarrierReport {
  status: CarrierStatus;
  error?: { code: string; message: string };
}

export interface SimulatedInbound {
  /** A phone number or an email address. */
  from: string;
  type: ProcessType;
  message: string;
  subject?: string;
  attachments?: string[];
}

/** Channels a phone number writes in on, and the one an email address does. */
const PHONE_CHANNELS = new Set<ProcessType>(['SMS', 'RCS', 'WhatsApp', 'Call', 'IVR_Call']);

export class Simulator {
  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      emailDomain: string;
      messageStatus: MessageStatusService;
    },
  ) {}

  private async requireLocation(locationId: string): Promise<void> {
    if (!(await findLocation(this.deps.store.db, locationId))) throw notFound('Location');
  }

  /** Moves an outbound message as a carrier's delivery report would. */
  async carrierReport(locationId: string, messageId: string, report: CarrierReport): Promise<StatusUpdateResult> {
    await this.requireLocation(locationId);
    const error = report.error ? { ...report.error, type: 'carrier' } : undefined;
    return this.deps.messageStatus.updateStatus(
      locationId,
      messageId,
      { status: report.status, ...(error ? { error } : {}) },
      'carrier',
    );
  }

  /** A contact writes in: found by phone or email (or created, as HighLevel creates an unknown sender). */
  async inbound(locationId: string, input: SimulatedInbound): Promise<ProcessResult> {
    await this.requireLocation(locationId);
    // The same rule as the inbound API: a URL anyone could fetch, not merely text that starts like one.
    requireAttachmentUrls(input.attachments);
    const isEmail = input.from.includes('@');
    const from = isEmail ? normalised(() => normaliseEmail(input.from)) : normalised(() => normalisePhone(input.from));
    if (input.type === 'Email' && !isEmail) throw invalid('from must be an email address for type Email');
    if (PHONE_CHANNELS.has(input.type) && isEmail) throw invalid(`from must be a phone number for type ${input.type}`);
    const { store, clock, emailDomain } = this.deps;
    return store.unit(async (tx) => {
      const db = tx.db;
      const now = clock.now();
      const contact = isEmail
        ? await contactForEmailSender(db, locationId, { address: from, name: null }, now)
        : await contactForPhoneSender(db, locationId, from, now);
      const content =
        input.type === 'Email'
          ? { html: input.message, emailFrom: from, ...(input.subject !== undefined ? { subject: input.subject } : {}) }
          : { message: input.message };
      return processMessage(
        { tx, db, locationId, now, emailDomain },
        {
          type: input.type,
          contactId: contact.id,
          direction: 'inbound',
          ...content,
          ...(input.attachments ? { attachments: input.attachments } : {}),
        },
      );
    });
  }
}

const invalid = (message: string) => new DomainError('VALIDATION_FAILED', [message]);

function normalised(parse: () => string): string {
  try {
    return parse();
  } catch {
    throw invalid('from must be a phone number or an email address');
  }
}
