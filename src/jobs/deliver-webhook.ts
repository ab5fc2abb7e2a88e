// Job kind "webhook.deliver": POSTs one logged webhook, signed, to its app's current webhook URL. Any non-2xx answer,
// timeout or connection failure is retried with exponential backoff and jitter, up to 12 retries; every attempt is
// logged, and a delivery whose retries are spent is dead (an operator may redeliver it).
import type { Clock } from '../domain/clock.js';
import type { FaultRegistry } from '../domain/sandbox/faults.js';
import type { WebhookAttemptOutcome } from '../metrics/registry.js';
import { type OutboundPolicy, postJson } from '../outbound/http.js';
import type { Store } from '../store/database.js';
import { findApp } from '../store/repositories/apps.js';
import type { JobRow } from '../store/repositories/jobs.js';
import {
  findWebhookDelivery,
  moveWebhookDelivery,
  recordWebhookAttempt,
  type WebhookDeliveryRow,
} from '../store/repositories/webhook-deliveries.js';
import { SIGNATURE_HEADER, type WebhookSigner } from '../webhooks/signer.js';
import { exponentialBackoff, type JobKind, POSTPONED, PostponeJob } from './runner.js';

export interface DeliverWebhookPayload {
  deliveryId: string;
}

export const WEBHOOK_MAX_RETRIES = 12;
/** The first retry comes after 5–10 s, each later one after about twice as long, at most an hour (2–4½ h in all). */
export const webhookBackoff = exponentialBackoff(10_000, 60 * 60_000);

interface Outcome {
  url: string | null;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export function deliverWebhookJob(deps: {
  store: Store;
  clock: Clock;
  signer: WebhookSigner;
  policy: OutboundPolicy;
  faults?: FaultRegistry;
  /** Told what became of each attempt (metrics). */
  onAttempt?: (outcome: WebhookAttemptOutcome) => void;
}): JobKind<DeliverWebhookPayload> {
  const { store, clock, signer, policy, faults, onAttempt = () => {} } = deps;

  /** A sandbox fault on the first attempt of a delivery: dropped (dead at once), or postponed once. */
  async function applyFault(delivery: WebhookDeliveryRow, job: JobRow): Promise<'dropped' | null> {
    if (!faults || delivery.attempts > 0 || job.last_error === POSTPONED) return null;
    const fault = faults.take('webhook', {
      locationId: delivery.location_id,
      type: delivery.type,
      appId: delivery.app_id,
    });
    if (!fault) return null;
    if ('delayMs' in fault.effect) throw new PostponeJob(fault.effect.delayMs);
    const error = `dropped by sandbox fault ${fault.id}`;
    const attempt = { delivery_id: delivery.id, url: null, status_code: null, duration_ms: 0 };
    await store.unit(async ({ db }) => {
      await recordWebhookAttempt(db, { ...attempt, error, attempted_at: clock.now() }, false);
      await moveWebhookDelivery(db, delivery.id, ['pending'], 'dead', clock.now());
    });
    onAttempt('dropped');
    return 'dropped';
  }

  async function attempt(url: string | null, body: string): Promise<Outcome> {
    if (!url) return { url, statusCode: null, error: 'the app has no webhook URL', durationMs: 0 };
    const started = performance.now();
    try {
      const headers = { [SIGNATURE_HEADER]: await signer.sign(body) };
      const { status, durationMs } = await postJson(url, body, headers, policy);
      const error = status >= 200 && status < 300 ? null : `answered ${status}`;
      return { url, statusCode: status, error, durationMs };
    } catch (error) {
      const durationMs = Math.round(performance.now() - started);
      return { url, statusCode: null, error: (error as Error).message, durationMs };
    }
  }

  return {
    kind: 'webhook.deliver',
    maxAttempts: WEBHOOK_MAX_RETRIES + 1,
    backoffMs: webhookBackoff,
    async run(payload, job) {
      const delivery = await findWebhookDelivery(store.db, payload.deliveryId);
      // Gone with its app, or delivered already: a re-run never sends twice.
      if (delivery?.status !== 'pending') return;
      if ((await applyFault(delivery, job)) === 'dropped') return;
      const app = await findApp(store.db, delivery.app_id);
      const outcome = await attempt(app?.webhook_url ?? null, delivery.body);
      await recordWebhookAttempt(
        store.db,
        {
          delivery_id: delivery.id,
          url: outcome.url,
          status_code: outcome.statusCode,
          error: outcome.error,
          duration_ms: outcome.durationMs,
          attempted_at: clock.now(),
        },
        outcome.error === null,
      );
      onAttempt(outcome.error === null ? 'delivered' : 'failed');
      if (outcome.error !== null) throw new Error(outcome.error);
    },
    async onDead(payload) {
      await store.unit(({ db }) => moveWebhookDelivery(db, payload.deliveryId, ['pending'], 'dead', clock.now()));
    },
  };
}
