// The SMTP adapter: built-in email leaves through a real mail server (SMTP_URL), carrying the Message-ID, In-Reply-To
// and References Switchboard threads by, so replies thread in mail clients; CC and BCC become envelope recipients
// (BCC never appears in the headers). Acceptance by the server (250 after DATA) is `delivered`, with the
// LCEmailStats-style events `accepted` and `delivered`; 4xx and connection failures are retried, 5xx are final.
import type nodemailer from 'nodemailer';
import type { SmtpConfig } from '../config.js';
import type { Clock } from '../domain/clock.js';
import { textOf } from '../domain/messages/summary.js';
import { onFirstUse } from '../lazy-package.js';
import { AttachmentError, type EmailAttachmentLoader, type MailAttachment } from './email-attachments.js';
import {
  type DeliveryAdapter,
  type DeliveryResult,
  type EmailDeliveryReport,
  type OutboundDelivery,
  TransientDeliveryError,
} from './port.js';

const loadNodemailer = onFirstUse<typeof nodemailer>('nodemailer');

/** What nodemailer puts on a failed send: an SMTP reply when the server gave one, else its own error code. */
interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

interface RejectedRecipient {
  recipient?: string;
  responseCode?: number;
  response?: string;
}

interface SentInfo {
  accepted?: unknown[];
  rejectedErrors?: RejectedRecipient[];
}

/** Failures without an SMTP reply that no retry can fix: the message or its addresses are unusable. */
const PERMANENT_CODES = new Set(['EENVELOPE', 'ECONFIG', 'EMAXRECIPIENTS', 'EREQUIRETLS']);

function addressOf(entry: unknown): string | null {
  if (typeof entry === 'string') return entry;
  if (entry && typeof entry === 'object' && 'address' in entry && typeof entry.address === 'string')
    return entry.address;
  return null;
}

/** The server accepted the message: count it, and record each recipient it accepted or refused. */
function acceptedReport(info: SentInfo): EmailDeliveryReport {
  const recipients: NonNullable<EmailDeliveryReport['recipients']> = [];
  for (const entry of info.accepted ?? []) {
    const address = addressOf(entry);
    if (address) recipients.push({ emailId: address, status: 'delivered' });
  }
  const events: Record<string, number> = { accepted: 1, delivered: 1 };
  for (const rejected of info.rejectedErrors ?? []) {
    if (!rejected.recipient) continue;
    // A recipient refused with 4xx is not retried alone: the others already have the message.
    const permanent = (rejected.responseCode ?? 500) >= 500;
    const event = permanent ? 'permanent_fail' : 'temporary_fail';
    events[event] = (events[event] ?? 0) + 1;
    recipients.push({ emailId: rejected.recipient, status: 'failed', failReason: rejected.response ?? 'rejected' });
  }
  return { emailEvents: events, recipients };
}

/** A 5xx reply (or an unusable message) is final; everything else is worth another attempt. */
function classify(error: unknown): DeliveryResult {
  const failure = (error ?? {}) as SmtpFailure;
  const text = failure.response ?? failure.message ?? String(error);
  if (typeof failure.responseCode === 'number') {
    if (failure.responseCode >= 500) {
      return {
        status: 'failed',
        error: { code: String(failure.responseCode), type: 'smtp', message: text },
        emailEvents: { permanent_fail: 1 },
      };
    }
    throw new TransientDeliveryError(`SMTP server answered ${text}`);
  }
  if (failure.code && PERMANENT_CODES.has(failure.code)) {
    return {
      status: 'failed',
      error: { code: failure.code, type: 'smtp', message: text },
      emailEvents: { permanent_fail: 1 },
    };
  }
  throw new TransientDeliveryError(`SMTP ${failure.code ?? 'error'}: ${text}`);
}

export class SmtpAdapter implements DeliveryAdapter {
  readonly name = 'smtp';
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;

  constructor(
    config: SmtpConfig,
    private readonly attachments: EmailAttachmentLoader,
    private readonly clock: Clock,
  ) {
    this.transport = loadNodemailer().createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      ...(config.auth ? { auth: config.auth } : {}),
      requireTLS: config.requireTLS,
      tls: { rejectUnauthorized: config.rejectUnauthorized },
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
    });
  }

  async deliver(delivery: OutboundDelivery): Promise<DeliveryResult> {
    const email = delivery.email;
    if (!email) throw new Error(`the SMTP adapter sends emails only, not ${delivery.messageType}`);
    let attachments: MailAttachment[];
    try {
      attachments = await this.attachments.load(delivery.attachments);
    } catch (error) {
      if (!(error instanceof AttachmentError)) throw error;
      if (error.transient) throw new TransientDeliveryError(error.message);
      return {
        status: 'failed',
        error: { code: 'ATTACHMENT_UNAVAILABLE', type: 'attachment', message: error.message },
      };
    }
    let info: SentInfo;
    try {
      info = (await this.transport.sendMail({
        from: email.from,
        to: email.to,
        cc: email.cc,
        bcc: email.bcc,
        subject: email.subject ?? '',
        html: email.html,
        text: textOf(email.html),
        messageId: email.rfcMessageId,
        ...(email.inReplyTo ? { inReplyTo: email.inReplyTo } : {}),
        ...(email.references.length > 0 ? { references: email.references } : {}),
        attachments,
        date: new Date(this.clock.now()),
      })) as SentInfo;
    } catch (error) {
      return classify(error);
    }
    return { status: 'delivered', ...acceptedReport(info) };
  }
}
