// Conversation providers (docs/behaviour.md#providers): an app's SMS, Email or Call gateway, installed on locations
// either as the location's default for its channel or as an extra ("custom") provider that messages name. Also the
// rules messages follow: which provider a send goes through, whose inbound may name a provider, and who may report on a
// message.
import type { OutboundPolicy } from '../outbound/http.js';
import type { Store } from '../store/database.js';
import type { Executor } from '../store/executor.js';
import { findApp, installApp } from '../store/repositories/apps.js';
import { findLocation } from '../store/repositories/locations.js';
import {
  deleteProvider,
  deleteProviderInstallation,
  findDefaultProvider,
  findInstalledProvider,
  findProvider,
  type InstalledProviderRow,
  insertProvider,
  listAppProviders,
  listInstalledProviders,
  type ProviderPatch,
  type ProviderRow,
  updateProvider,
  upsertProviderInstallation,
} from '../store/repositories/providers.js';
import { requirePostableUrl } from './apps.js';
import type { Clock } from './clock.js';
import { DomainError, notFound } from './errors.js';
import { newHexId } from './ids.js';

export const PROVIDER_TYPES = ['SMS', 'Email', 'Call'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export interface ProviderInput {
  id?: string;
  name: string;
  type: ProviderType;
  deliveryUrl: string;
}

export type ProviderUpdate = Partial<Pick<ProviderInput, 'name' | 'deliveryUrl'>>;

/** The provider channel serving a message type: SMS and Custom (22) by SMS providers, Email, and calls. */
export function providerChannelOf(typeCode: number): ProviderType | null {
  if (typeCode === 2 || typeCode === 22) return 'SMS';
  if (typeCode === 3 || typeCode === 23) return 'Email';
  if (typeCode === 1 || typeCode === 34) return 'Call';
  return null;
}

const invalidProvider = () => new DomainError('BAD_REQUEST', 'Invalid conversationProviderId');

/**
 * The provider a message sent on the API goes through: the one it names, which must be installed on the location and
 * serve the message's channel; else the location's default for the channel; else none (the built-in delivery).
 */
export async function providerForSend(
  db: Executor,
  locationId: string,
  typeCode: number,
  requested: string | undefined,
): Promise<string | null> {
  const channel = providerChannelOf(typeCode);
  if (requested !== undefined) {
    const installed = await findInstalledProvider(db, locationId, requested);
    if (!installed || installed.type !== channel) throw invalidProvider();
    return installed.id;
  }
  if (!channel) return null;
  return (await findDefaultProvider(db, locationId, channel))?.id ?? null;
}

/** A message recorded with a provider's id (inbound, call logs) must come from that provider's app, on a location it is installed on. */
export async function requireAppProvider(
  db: Executor,
  locationId: string,
  appId: string | null,
  providerId: string | undefined,
): Promise<void> {
  if (providerId === undefined) return;
  const installed = await findInstalledProvider(db, locationId, providerId);
  if (!installed || installed.app_id !== appId) throw invalidProvider();
}

/** Only tokens of the app that owns a message's provider may report on it (docs/behaviour.md#provider-reports). */
export async function requireProviderOwner(db: Executor, providerId: string, appId: string | null): Promise<void> {
  const provider = await findProvider(db, providerId);
  if (!provider || appId === null || provider.app_id !== appId) {
    throw new DomainError('PROVIDER_NO_ACCESS', 'The token does not have access to this conversation provider', {
      canonicalCode: 'CONVERSATIONS_MSG_PROVIDER_NO_ACCESS',
    });
  }
}

export class ProviderService {
  constructor(private readonly deps: { store: Store; clock: Clock; outbound: OutboundPolicy }) {}

  private async requireApp(appId: string): Promise<void> {
    if (!(await findApp(this.deps.store.db, appId))) throw notFound('App');
  }

  private async requireLocation(locationId: string): Promise<void> {
    if (!(await findLocation(this.deps.store.db, locationId))) throw notFound('Location');
  }

  async create(appId: string, input: ProviderInput): Promise<ProviderRow> {
    const { store, clock, outbound } = this.deps;
    await this.requireApp(appId);
    await requirePostableUrl('deliveryUrl', input.deliveryUrl, outbound);
    const now = clock.now();
    const row: ProviderRow = {
      id: input.id ?? newHexId(),
      app_id: appId,
      name: input.name,
      type: input.type,
      delivery_url: input.deliveryUrl,
      created_at: now,
      updated_at: now,
    };
    const exists = () => new DomainError('CONFLICT', `Conversation provider ${row.id} already exists`);
    // A create of the same id that raced past the check loses to the primary key.
    await store.unit(
      async ({ db }) => {
        if (await findProvider(db, row.id)) throw exists();
        await insertProvider(db, row);
      },
      {
        onUniqueViolation: () => {
          throw exists();
        },
      },
    );
    return row;
  }

  async list(appId: string): Promise<ProviderRow[]> {
    await this.requireApp(appId);
    return listAppProviders(this.deps.store.db, appId);
  }

  async get(appId: string, providerId: string): Promise<ProviderRow> {
    const row = await findProvider(this.deps.store.db, providerId);
    if (!row || row.app_id !== appId) throw notFound('Conversation provider');
    return row;
  }

  /** Renames a provider or moves its delivery URL; its type is fixed (installations rely on it). */
  async update(appId: string, providerId: string, update: ProviderUpdate): Promise<ProviderRow> {
    const { store, clock, outbound } = this.deps;
    await this.get(appId, providerId);
    if (update.deliveryUrl !== undefined) await requirePostableUrl('deliveryUrl', update.deliveryUrl, outbound);
    const patch: ProviderPatch = { updated_at: clock.now() };
    if (update.name !== undefined) patch.name = update.name;
    if (update.deliveryUrl !== undefined) patch.delivery_url = update.deliveryUrl;
    await store.unit(({ db }) => updateProvider(db, providerId, patch));
    return this.get(appId, providerId);
  }

  /** Removes a provider from every location; its messages keep its id, and no one can report on them any more. */
  async delete(appId: string, providerId: string): Promise<void> {
    await this.get(appId, providerId);
    if (!(await this.deps.store.unit(({ db }) => deleteProvider(db, providerId)))) {
      throw notFound('Conversation provider');
    }
  }

  /** Installs a provider on a location (and its app, if not yet), as the channel's default or as a custom one. */
  async install(locationId: string, input: { providerId: string; isDefault?: boolean }): Promise<InstalledProviderRow> {
    const { store, clock } = this.deps;
    await this.requireLocation(locationId);
    const provider = await findProvider(store.db, input.providerId);
    if (!provider) throw new DomainError('VALIDATION_FAILED', ['providerId must be the id of an existing provider']);
    if (await findInstalledProvider(store.db, locationId, provider.id)) {
      throw new DomainError('CONFLICT', 'The provider is already installed on this location');
    }
    await this.writeInstallation(locationId, provider, input.isDefault === true, async (trx) => {
      await installApp(trx, locationId, provider.app_id, clock.now());
    });
    return this.installed(locationId, provider.id);
  }

  async listInstalled(locationId: string): Promise<InstalledProviderRow[]> {
    await this.requireLocation(locationId);
    return listInstalledProviders(this.deps.store.db, locationId);
  }

  async installed(locationId: string, providerId: string): Promise<InstalledProviderRow> {
    await this.requireLocation(locationId);
    const row = await findInstalledProvider(this.deps.store.db, locationId, providerId);
    if (!row) throw notFound('Conversation provider');
    return row;
  }

  /** Makes an installed provider the default of its channel on the location (replacing the previous one), or not. */
  async setDefault(locationId: string, providerId: string, isDefault: boolean): Promise<InstalledProviderRow> {
    const provider = await this.installed(locationId, providerId);
    await this.writeInstallation(locationId, provider, isDefault);
    return this.installed(locationId, providerId);
  }

  async uninstall(locationId: string, providerId: string): Promise<void> {
    await this.requireLocation(locationId);
    if (!(await this.deps.store.unit(({ db }) => deleteProviderInstallation(db, locationId, providerId)))) {
      throw notFound('Conversation provider');
    }
  }

  private async writeInstallation(
    locationId: string,
    provider: ProviderRow,
    isDefault: boolean,
    before?: (trx: Executor) => Promise<void>,
  ): Promise<void> {
    const { store, clock } = this.deps;
    await store.unit(
      async ({ db }) => {
        await before?.(db);
        await upsertProviderInstallation(db, {
          location_id: locationId,
          provider_id: provider.id,
          type: provider.type,
          is_default: isDefault,
          created_at: clock.now(),
        });
      },
      {
        // Two changes to the location's providers raced: the unique indexes kept one; the other may try again.
        onUniqueViolation: () => {
          throw new DomainError('CONFLICT', 'The location’s providers changed at the same time; try again');
        },
      },
    );
  }
}
