// Chooses the delivery adapter for a message, in one place.
import type { Clock } from '../domain/clock.js';
import type { Store } from '../store/database.js';
import { DevOutboxAdapter } from './dev-outbox.js';
import type { DeliveryAdapter, OutboundDelivery } from './port.js';

export interface DeliveryRouter {
  adapterFor(delivery: OutboundDelivery): DeliveryAdapter;
}

export function createDeliveryRouter(store: Store, clock: Clock): DeliveryRouter {
  const devOutbox = new DevOutboxAdapter(store, clock);
  return { adapterFor: () => devOutbox };
}
