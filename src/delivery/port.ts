// The delivery port: how an outbound message leaves Switchboard. Adapters: the dev outbox (default);
// custom providers and SMTP arrive behind the same port.
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
    references: string[];
    threadId: string;
  };
}

export interface DeliveryError {
  code: string;
  type: string;
  message: string;
}

export type DeliveryResult = { status: 'sent' | 'delivered' } | { status: 'failed'; error: DeliveryError };

export interface DeliveryAdapter {
  readonly name: string;
  deliver(delivery: OutboundDelivery): Promise<DeliveryResult>;
}

/** Thrown by an adapter for a failure worth retrying (timeouts, 5xx); other failures come back as results. */
export class TransientDeliveryError extends Error {}
