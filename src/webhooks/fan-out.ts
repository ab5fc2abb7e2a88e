// The webhook outbox: an event sink that runs inside the transaction recording the events, and writes one
// delivery (log row and job) per webhook per subscribed app installed on the location whose scopes allow it. So a
// committed change always has its webhooks queued, and a rolled-back one never sends any.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import type { DomainEvent, EventSink } from '../events/types.js';
import type { DeliverWebhookPayload } from '../jobs/deliver-webhook.js';
import type { JobKind, JobRunner } from '../jobs/runner.js';
import type { Executor } from '../store/executor.js';
import { type AppRow, webhookSubscribers } from '../store/repositories/apps.js';
import { findEmailById } from '../store/repositories/emails.js';
import { findLocation } from '../store/repositories/locations.js';
import { findMessageById } from '../store/repositories/messages.js';
import { insertWebhookDelivery } from '../store/repositories/webhook-deliveries.js';
import type { Tx } from '../store/unit-of-work.js';
import { type EventRows, WEBHOOK_SCOPES, type WebhookContent, webhooksOf } from './payloads.js';

function receives(app: AppRow, webhook: WebhookContent): boolean {
  const { scopes, webhook_events: events } = app;
  return scopes.includes(WEBHOOK_SCOPES[webhook.type]) && (events === null || events.includes(webhook.type));
}

async function rowsOf(db: Executor, event: DomainEvent, companyId: string | null): Promise<EventRows> {
  const rows: EventRows = { companyId };
  const messageId = event.payload.message?.id;
  const emailId = event.payload.email?.id;
  if (typeof messageId === 'string') rows.message = await findMessageById(db, messageId);
  if (typeof emailId === 'string') rows.email = await findEmailById(db, emailId);
  return rows;
}

export class WebhookFanOut implements EventSink {
  constructor(private readonly deps: { jobs: JobRunner; deliverJob: JobKind<DeliverWebhookPayload>; clock: Clock }) {}

  async onEvents(tx: Tx, events: DomainEvent[]): Promise<void> {
    const { jobs, deliverJob, clock } = this.deps;
    const db = tx.db;
    const now = clock.now();
    for (const locationId of new Set(events.map((event) => event.locationId))) {
      const apps = await webhookSubscribers(db, locationId);
      if (apps.length === 0) continue;
      const companyId = (await findLocation(db, locationId))?.company_id ?? null;
      for (const event of events.filter((e) => e.locationId === locationId)) {
        const webhooks = webhooksOf(event, await rowsOf(db, event, companyId));
        for (const webhook of webhooks) {
          for (const app of apps.filter((candidate) => receives(candidate, webhook))) {
            const id = randomUUID();
            const body = JSON.stringify({
              type: webhook.type,
              locationId,
              appId: app.id,
              ...webhook.fields,
              timestamp: new Date(event.createdAt).toISOString(),
              webhookId: id,
            });
            await insertWebhookDelivery(db, {
              id,
              app_id: app.id,
              location_id: locationId,
              event_id: event.id,
              type: webhook.type,
              body,
              status: 'pending',
              attempts: 0,
              last_status_code: null,
              last_error: null,
              delivered_at: null,
              created_at: now,
              updated_at: now,
            });
            // Goes out as soon as the unit is durable, as sends do.
            await jobs.enqueue(tx, deliverJob, { deliveryId: id }, { locationId, subjectId: id, runAt: now });
          }
        }
      }
    }
  }
}
