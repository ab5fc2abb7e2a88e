// Sandbox faults on outgoing deliveries (docs/sandbox.md#faults-on-demand): a matching delivery fails as a real one
// would, whichever adapter (dev outbox, SMTP, custom provider) it was meant for. A transient failure is retried by the
// normal policy and, once the attempts are spent, fails the message; a permanent one fails it at once.
import type { FaultRegistry } from '../domain/sandbox/faults.js';
import type { DeliveryRouter } from './index.js';
import { type DeliveryAdapter, TransientDeliveryError } from './port.js';

/** The error `type` the adapter's own failures carry. */
const ERROR_TYPES: Record<string, string> = { 'custom-provider': 'provider', smtp: 'smtp' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function withDeliveryFaults(router: DeliveryRouter, faults: FaultRegistry): DeliveryRouter {
  return {
    adapterFor(delivery) {
      const adapter = router.adapterFor(delivery);
      const faulty: DeliveryAdapter = {
        name: adapter.name,
        async deliver(outbound) {
          const fault = faults.take('delivery', {
            locationId: outbound.locationId,
            type: outbound.messageType,
            providerId: outbound.conversationProviderId,
          });
          if (!fault) return adapter.deliver(outbound);
          const { error, status, permanent, delayMs } = fault.effect;
          if (delayMs) await sleep(delayMs);
          const message = status === undefined ? error : `${error} (status ${status})`;
          if (!permanent) throw new TransientDeliveryError(message);
          return {
            status: 'failed',
            error: {
              code: status === undefined ? 'DELIVERY_FAILED' : String(status),
              type: ERROR_TYPES[adapter.name] ?? 'delivery',
              message,
            },
          };
        },
      };
      return faulty;
    },
  };
}
