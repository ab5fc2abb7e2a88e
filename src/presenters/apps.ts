// Admin API shapes for apps, conversation providers and the webhook delivery log.
import type { InstalledAppRow } from '../domain/apps.js';
import type { AppRow } from '../store/repositories/apps.js';
import type { InstalledProviderRow, ProviderRow } from '../store/repositories/providers.js';
import type { WebhookAttemptRow, WebhookDeliveryRow } from '../store/repositories/webhook-deliveries.js';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function presentApp(row: AppRow) {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    webhookUrl: row.webhook_url,
    webhookEvents: row.webhook_events,
    clientId: row.client_id,
    redirectUris: row.redirect_uris,
    dateAdded: iso(row.created_at),
    dateUpdated: iso(row.updated_at),
  };
}

export function presentInstalledApp(row: InstalledAppRow) {
  return { ...presentApp(row), dateInstalled: iso(row.installed_at) };
}

export function presentProvider(row: ProviderRow) {
  return {
    id: row.id,
    appId: row.app_id,
    name: row.name,
    type: row.type,
    deliveryUrl: row.delivery_url,
    dateAdded: iso(row.created_at),
    dateUpdated: iso(row.updated_at),
  };
}

/** A provider as a location has it: the channel's default there, or a custom one that messages name. */
export function presentInstalledProvider(row: InstalledProviderRow) {
  return {
    ...presentProvider(row),
    locationId: row.location_id,
    isDefault: row.is_default,
    dateInstalled: iso(row.installed_at),
  };
}

export function presentDelivery(row: WebhookDeliveryRow) {
  return {
    id: row.id,
    webhookId: row.id,
    appId: row.app_id,
    locationId: row.location_id,
    type: row.type,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    dateAdded: iso(row.created_at),
    dateUpdated: iso(row.updated_at),
    dateDelivered: isoOrNull(row.delivered_at),
  };
}

export function presentAttempt(row: WebhookAttemptRow) {
  return {
    attempt: row.attempt,
    url: row.url,
    statusCode: row.status_code,
    error: row.error,
    durationMs: row.duration_ms,
    dateAttempted: iso(row.attempted_at),
  };
}

/** One delivery with the exact body sent, its X-GHL-Signature header, and every attempt, oldest first. */
export function presentDeliveryDetail(row: WebhookDeliveryRow, attempts: WebhookAttemptRow[], signature: string) {
  return {
    ...presentDelivery(row),
    payload: JSON.parse(row.body) as Record<string, unknown>,
    signature,
    attemptLog: attempts.map(presentAttempt),
  };
}
