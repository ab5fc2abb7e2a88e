// Operators' use cases for apps: integrations with scopes, tokens and a webhook URL, installed on locations.
import { type OutboundPolicy, outboundUrlProblem } from '../outbound/http.js';
import type { Store } from '../store/database.js';
import {
  type AppPatch,
  type AppRow,
  deleteApp,
  findApp,
  insertApp,
  installApp,
  installedApps,
  listApps,
  revokeAppTokens,
  uninstallApp,
  updateApp,
} from '../store/repositories/apps.js';
import { findLocation } from '../store/repositories/locations.js';
import type { Clock } from './clock.js';
import { DomainError, notFound } from './errors.js';
import { newHexId } from './ids.js';
import { newClientId, newClientSecret, requireRedirectUris } from './oauth/clients.js';
import { SCOPES } from './scopes.js';

export interface AppInput {
  id?: string;
  name: string;
  scopes?: string[];
  webhookUrl?: string | null;
  webhookEvents?: string[] | null;
  /** Where authorisation codes may be sent (OAuth). */
  redirectUris?: string[];
}

export type AppUpdate = Partial<Omit<AppInput, 'id'>>;

export type InstalledAppRow = AppRow & { installed_at: number };

/** A new app and its OAuth client secret, shown this once (only its digest is kept). */
export interface CreatedApp {
  row: AppRow;
  clientSecret: string;
}

/** Refuses a URL Switchboard would not post to (docs/behaviour.md#outbound-addresses), naming the field it came in. */
export async function requirePostableUrl(field: string, url: string, policy: OutboundPolicy): Promise<void> {
  const problem = await outboundUrlProblem(url, policy);
  if (problem) throw new DomainError('VALIDATION_FAILED', [`${field} ${problem}`]);
}

export class AppService {
  constructor(private readonly deps: { store: Store; clock: Clock; outbound: OutboundPolicy }) {}

  async create(input: AppInput): Promise<CreatedApp> {
    const { store, clock, outbound } = this.deps;
    if (input.webhookUrl) await requirePostableUrl('webhookUrl', input.webhookUrl, outbound);
    const redirectUris = requireRedirectUris(input.redirectUris ?? []);
    const now = clock.now();
    const id = input.id ?? newHexId();
    const secret = newClientSecret();
    const row: AppRow = {
      id,
      name: input.name,
      scopes: [...new Set(input.scopes ?? SCOPES)],
      webhook_url: input.webhookUrl ?? null,
      webhook_events: input.webhookEvents ? [...new Set(input.webhookEvents)] : null,
      created_at: now,
      updated_at: now,
      client_id: newClientId(id),
      client_secret_hash: secret.hash,
      redirect_uris: redirectUris,
    };
    const exists = () => new DomainError('CONFLICT', `App ${row.id} already exists`);
    // Two creates of the same id that race past the check: the primary key decides.
    await store.unit(
      async ({ db }) => {
        if (await findApp(db, row.id)) throw exists();
        await insertApp(db, row);
      },
      {
        onUniqueViolation: () => {
          throw exists();
        },
      },
    );
    return { row, clientSecret: secret.secret };
  }

  /** Issues a new client secret (the old one stops working at once); answers it, shown this once. */
  async rotateClientSecret(id: string): Promise<{ clientId: string; clientSecret: string }> {
    const app = await this.get(id);
    const secret = newClientSecret();
    // An app made before OAuth existed gets its client id now.
    const clientId = app.client_id ?? newClientId(app.id);
    const patch = { client_id: clientId, client_secret_hash: secret.hash, updated_at: this.deps.clock.now() };
    await this.deps.store.unit(({ db }) => updateApp(db, id, patch));
    return { clientId, clientSecret: secret.secret };
  }

  async get(id: string): Promise<AppRow> {
    const row = await findApp(this.deps.store.db, id);
    if (!row) throw notFound('App');
    return row;
  }

  list(): Promise<AppRow[]> {
    return listApps(this.deps.store.db);
  }

  async update(id: string, update: AppUpdate): Promise<AppRow> {
    const { store, clock, outbound } = this.deps;
    await this.get(id);
    if (update.webhookUrl) await requirePostableUrl('webhookUrl', update.webhookUrl, outbound);
    const patch: AppPatch = { updated_at: clock.now() };
    if (update.name !== undefined) patch.name = update.name;
    if (update.scopes !== undefined) patch.scopes = [...new Set(update.scopes)];
    if (update.webhookUrl !== undefined) patch.webhook_url = update.webhookUrl;
    if (update.redirectUris !== undefined) patch.redirect_uris = requireRedirectUris(update.redirectUris);
    if (update.webhookEvents !== undefined) {
      patch.webhook_events = update.webhookEvents ? [...new Set(update.webhookEvents)] : null;
    }
    await store.unit(({ db }) => updateApp(db, id, patch));
    return this.get(id);
  }

  /** Deletes an app: its tokens are revoked, and its providers, installations and delivery log removed. */
  async delete(id: string): Promise<void> {
    const { store, clock } = this.deps;
    const deleted = await store.unit(async ({ db: trx }) => {
      await revokeAppTokens(trx, id, clock.now());
      return deleteApp(trx, id);
    });
    if (!deleted) throw notFound('App');
  }

  private async requireLocation(locationId: string): Promise<void> {
    if (!(await findLocation(this.deps.store.db, locationId))) throw notFound('Location');
  }

  /** Installs an app on a location (its webhooks then tell of the location's changes); answers whether it was new. */
  async install(locationId: string, appId: string): Promise<{ app: InstalledAppRow; created: boolean }> {
    const { store, clock } = this.deps;
    await this.requireLocation(locationId);
    await this.get(appId);
    const created = await store.unit(({ db }) => installApp(db, locationId, appId, clock.now()));
    const app = (await installedApps(store.db, locationId)).find((row) => row.id === appId);
    if (!app) throw notFound('App');
    return { app, created };
  }

  async installed(locationId: string): Promise<InstalledAppRow[]> {
    await this.requireLocation(locationId);
    return installedApps(this.deps.store.db, locationId);
  }

  /** Uninstalls an app from a location: its providers leave the location, its tokens there stop working. */
  async uninstall(locationId: string, appId: string): Promise<void> {
    const { store, clock } = this.deps;
    await this.requireLocation(locationId);
    const removed = await store.unit(({ db: trx }) => uninstallApp(trx, locationId, appId, clock.now()));
    if (!removed) throw notFound('App installation');
  }
}
