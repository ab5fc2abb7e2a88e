// The dev outbox adapter: records exactly what would be sent and reports it delivered.
import type { Clock } from '../domain/clock.js';
import { newId } from '../domain/ids.js';
import type { Store } from '../store/database.js';
import { recordOutbox } from '../store/repositories/dev-outbox.js';
import type { DeliveryAdapter, DeliveryResult, OutboundDelivery } from './port.js';

export class DevOutboxAdapter implements DeliveryAdapter {
  readonly name = 'dev-outbox';

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async deliver(delivery: OutboundDelivery): Promise<DeliveryResult> {
    await this.store.unit(({ db }) =>
      recordOutbox(db, {
        id: newId(),
        location_id: delivery.locationId,
        message_id: delivery.messageId,
        email_id: delivery.emailId ?? null,
        delivery_key: `${delivery.messageId}:${delivery.emailId ?? ''}`,
        channel: delivery.messageType,
        payload: JSON.stringify(delivery),
        created_at: this.clock.now(),
      }),
    );
    return { status: 'delivered' };
  }
}
