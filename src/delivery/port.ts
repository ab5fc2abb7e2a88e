// The delivery port: how an outbound message leaves Switchboard. Adapters: the dev outbox (default), SMTP for
// built-in email when SMTP_URL is set, and custom conversation providers (a signed POST to their delivery URL).
export interface OutboundDelivery {
  locationId: string;
  messageId: string;
  emailId?: string;
  /** TYPE_* name of the message. */
  messageType: string;
  contactId: string;
  conversationId: string;
  conversationProviderId: string | null;
  userId: string | null;
  body: string | null;
  attachments: string[];
  phone?: string;
  fromNumber?: string;
  email?: {
    from: string;
    to: string[];
    cc: string[];
    bcc: string[];
    subject: string | null;
    html: string;
    rfcMessageId: string;
    inReplyTo?: string;
    /** The provider's own id (altId) of the email this one answers, when it has one. */
    replyToAltId?: string;
    references: string[];
    threadId: string;
  };
}

export interface DeliveryError {
  code: string;
  type: string;
  message: string;
}

/**
 * What an adapter learned beyond the status: for built-in email, the LCEmailStats-style event counters of this
 * attempt (`accepted`, `delivered`, `permanent_fail`, …) and per-recipient outcomes, recorded on the email.
 */
export interface EmailDeliveryReport {
  emailEvents?: Record<string, number>;
  recipients?: { emailId: string; status: string; failReason?: string }[];
}

export type DeliveryResult = ({ status: 'sent' | 'delivered' } | { status: 'failed'; error: DeliveryError }) &
  EmailDeliveryReport;

export interface DeliveryAdapter {
  readonly name: string;
  deliver(delivery: OutboundDelivery): Promise<DeliveryResult>;
}

/**
 * Thrown by an adapter for a failure worth retrying (timeouts, connection errors, HTTP 5xx, SMTP 4xx); it is retried
 * with backoff. Permanent failures (SMTP 5xx) come back as `failed` results.
 */
export class TransientDeliveryError extends Error {}
