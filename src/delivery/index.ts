// Chooses the delivery adapter for a message, in one place.
import type { SmtpConfig } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { FileService } from '../domain/files.js';
import type { Store } from '../store/database.js';
import { DevOutboxAdapter } from './dev-outbox.js';
import { EmailAttachmentLoader } from './email-attachments.js';
import type { DeliveryAdapter, OutboundDelivery } from './port.js';
import { SmtpAdapter } from './smtp.js';

export interface DeliveryRouter {
  adapterFor(delivery: OutboundDelivery): DeliveryAdapter;
}

/** Built-in email (no custom provider) goes out over SMTP when SMTP_URL is set; attachments come from `files`. */
export interface BuiltInEmailDeps {
  smtp: SmtpConfig;
  files: FileService;
}

/** `customProviders` takes every message that names a conversation provider (docs/behaviour.md#provider-delivery). */
export function createDeliveryRouter(
  store: Store,
  clock: Clock,
  customProviders: DeliveryAdapter,
  builtInEmail?: BuiltInEmailDeps,
): DeliveryRouter {
  const devOutbox = new DevOutboxAdapter(store, clock);
  const smtp = builtInEmail
    ? new SmtpAdapter(builtInEmail.smtp, new EmailAttachmentLoader(builtInEmail.files), clock)
    : null;
  return {
    adapterFor: (delivery) => {
      if (delivery.conversationProviderId !== null) return customProviders;
      if (smtp && delivery.email && delivery.conversationProviderId === null) return smtp;
      return devOutbox;
    },
  };
}
