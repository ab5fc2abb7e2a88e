// The custom provider adapter: hands a message to its conversation provider by POSTing HighLevel's
// ProviderOutboundMessage to the provider's delivery URL, signed like webhooks (docs/behaviour.md#provider-delivery).
// The message is then `sent`: the provider reports what became of it through the status endpoints.
import { createHash } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import { type OutboundPolicy, OutboundRefused, postJson } from '../outbound/http.js';
import type { Store } from '../store/database.js';
import { findProvider, type ProviderRow } from '../store/repositories/providers.js';
import { SIGNATURE_HEADER, type WebhookSigner } from '../webhooks/signer.js';
import {
  type DeliveryAdapter,
  type DeliveryError,
  type DeliveryResult,
  type OutboundDelivery,
  TransientDeliveryError,
} from './port.js';

/** Answers that may well succeed later: the receiver is overloaded, rate limiting, or timed out itself. */
const RETRIED_STATUSES = new Set([408, 425, 429]);

/**
 * The same for every attempt at one message (or one email of a thread), so a provider that received an attempt whose
 * answer got lost can drop the retry.
 */
function webhookIdOf(delivery: OutboundDelivery): string {
  const hex = createHash('sha256')
    .update(`${delivery.messageId}:${delivery.emailId ?? ''}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** HighLevel's ProviderOutboundMessage; emailCc and emailBcc are Switchboard's additions, so a mail gateway reaches everyone. */
export function providerOutboundMessage(delivery: OutboundDelivery, provider: ProviderRow, at: number) {
  const payload: Record<string, unknown> = {
    contactId: delivery.contactId,
    locationId: delivery.locationId,
    messageId: delivery.messageId,
    ...(delivery.emailId ? { emailMessageId: delivery.emailId } : {}),
    type: provider.type,
    attachments: delivery.attachments,
  };
  const email = delivery.email;
  if (email) {
    Object.assign(payload, {
      emailTo: email.to,
      emailFrom: email.from,
      html: email.html,
      ...(email.subject !== null ? { subject: email.subject } : {}),
      ...(email.cc.length > 0 ? { emailCc: email.cc } : {}),
      ...(email.bcc.length > 0 ? { emailBcc: email.bcc } : {}),
      ...(email.replyToAltId ? { replyToAltId: email.replyToAltId } : {}),
    });
  } else {
    payload.message = delivery.body ?? '';
    if (delivery.phone) payload.phone = delivery.phone;
  }
  if (delivery.userId) payload.userId = delivery.userId;
  payload.timestamp = new Date(at).toISOString();
  payload.webhookId = webhookIdOf(delivery);
  return payload;
}

const failure = (code: string, message: string): DeliveryResult => {
  const error: DeliveryError = { code, type: 'provider', message };
  return { status: 'failed', error };
};

export class CustomProviderAdapter implements DeliveryAdapter {
  readonly name = 'custom-provider';

  constructor(private readonly deps: { store: Store; clock: Clock; signer: WebhookSigner; policy: OutboundPolicy }) {}

  async deliver(delivery: OutboundDelivery): Promise<DeliveryResult> {
    const { store, clock, signer, policy } = this.deps;
    const provider = delivery.conversationProviderId
      ? await findProvider(store.db, delivery.conversationProviderId)
      : undefined;
    if (!provider) return failure('PROVIDER_NOT_FOUND', 'The conversation provider no longer exists');
    const body = JSON.stringify(providerOutboundMessage(delivery, provider, clock.now()));
    let status: number;
    try {
      ({ status } = await postJson(
        provider.delivery_url,
        body,
        { [SIGNATURE_HEADER]: await signer.sign(body) },
        policy,
      ));
    } catch (error) {
      const message = `delivery URL: ${(error as Error).message}`;
      if (error instanceof OutboundRefused) return failure('PROVIDER_URL_REFUSED', message);
      throw new TransientDeliveryError(message);
    }
    if (status >= 200 && status < 300) return { status: 'sent' };
    if (status >= 500 || RETRIED_STATUSES.has(status)) {
      throw new TransientDeliveryError(`delivery URL answered ${status}`);
    }
    return failure(String(status), `delivery URL answered ${status}`);
  }
}
