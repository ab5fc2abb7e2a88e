// Operators' view of webhooks: the signing public key, an app's delivery log with its attempts, and redelivery.
import type { Clock } from '../domain/clock.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { DeliverWebhookPayload } from '../jobs/deliver-webhook.js';
import type { JobKind, JobRunner } from '../jobs/runner.js';
import type { Store } from '../store/database.js';
import { findApp } from '../store/repositories/apps.js';
import {
  attemptsOf,
  findWebhookDelivery,
  listWebhookDeliveries,
  moveWebhookDelivery,
  type WebhookAttemptRow,
  type WebhookDeliveryRow,
} from '../store/repositories/webhook-deliveries.js';
import type { WebhookSigner } from './signer.js';

export interface WebhookServiceDeps {
  store: Store;
  clock: Clock;
  jobs: JobRunner;
  deliverJob: JobKind<DeliverWebhookPayload>;
  signer: WebhookSigner;
}

export interface DeliveryPage {
  rows: WebhookDeliveryRow[];
  /** The id to pass as `after` for the next (older) page; null on the last page. */
  nextAfter: string | null;
}

export class WebhookService {
  constructor(private readonly deps: WebhookServiceDeps) {}

  publicKey() {
    return this.deps.signer.publicKey();
  }

  /** Generates the signing key pair on first start (later starts, and other servers, read the stored one). */
  ensureSigningKey(): Promise<void> {
    return this.deps.signer.ensureKey();
  }

  private async delivery(appId: string, deliveryId: string): Promise<WebhookDeliveryRow> {
    const row = await findWebhookDelivery(this.deps.store.db, deliveryId);
    if (!row || row.app_id !== appId) throw notFound('Webhook delivery');
    return row;
  }

  /** An app's deliveries, newest first. */
  async list(appId: string, options: { limit: number; status?: string; after?: string }): Promise<DeliveryPage> {
    const db = this.deps.store.db;
    if (!(await findApp(db, appId))) throw notFound('App');
    const before = options.after ? await this.delivery(appId, options.after) : undefined;
    const page = await listWebhookDeliveries(db, appId, {
      limit: options.limit,
      ...(options.status ? { status: options.status } : {}),
      ...(before ? { before } : {}),
    });
    return { rows: page.rows, nextAfter: page.more ? (page.rows.at(-1)?.id ?? null) : null };
  }

  /** A delivery, its attempts, and the X-GHL-Signature its attempts carry (Ed25519 signs the same body alike). */
  async get(
    appId: string,
    deliveryId: string,
  ): Promise<{ delivery: WebhookDeliveryRow; attempts: WebhookAttemptRow[]; signature: string }> {
    const delivery = await this.delivery(appId, deliveryId);
    return {
      delivery,
      attempts: await attemptsOf(this.deps.store.db, delivery.id),
      signature: await this.deps.signer.sign(delivery.body),
    };
  }

  /**
   * Sends a delivered or dead webhook again, with the same body (and webhookId, so receivers dedupe it), and a fresh
   * round of retries. One still being retried is refused: its retries are already scheduled.
   */
  async redeliver(appId: string, deliveryId: string): Promise<WebhookDeliveryRow> {
    const { store, clock, jobs, deliverJob } = this.deps;
    const delivery = await this.delivery(appId, deliveryId);
    const now = clock.now();
    const moved = await store.unit(async (tx) => {
      if (!(await moveWebhookDelivery(tx.db, delivery.id, ['delivered', 'dead'], 'pending', now))) return false;
      await jobs.enqueue(
        tx,
        deliverJob,
        { deliveryId: delivery.id },
        {
          locationId: delivery.location_id,
          subjectId: delivery.id,
          runAt: now,
        },
      );
      return true;
    });
    if (!moved) throw new DomainError('CONFLICT', 'The webhook is still being delivered: its retries are scheduled');
    return (await findWebhookDelivery(store.db, delivery.id)) ?? delivery;
  }
}
