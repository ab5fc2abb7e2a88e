// Conversation providers of apps, and the locations they are installed on (one default per channel at most).
import type { Executor } from '../executor.js';
import { flag, toFlag } from '../records/columns.js';
import type { ConversationProvidersTable } from '../schema.js';

export type ProviderRow = ConversationProvidersTable;
export type ProviderPatch = Partial<Pick<ProviderRow, 'name' | 'delivery_url' | 'updated_at'>>;
/** A provider as installed on a location: whether it is its channel's default there, a boolean. */
export type InstalledProviderRow = ProviderRow & { location_id: string; is_default: boolean; installed_at: number };

function decodeInstalled<Row extends { is_default: number }>(
  row: Row,
): Omit<Row, 'is_default'> & { is_default: boolean } {
  return { ...row, is_default: flag(row.is_default) };
}

export async function insertProvider(db: Executor, row: ProviderRow): Promise<void> {
  await db.insertInto('conversation_providers').values(row).execute();
}

export async function findProvider(db: Executor, id: string): Promise<ProviderRow | undefined> {
  return db.selectFrom('conversation_providers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listAppProviders(db: Executor, appId: string): Promise<ProviderRow[]> {
  return db
    .selectFrom('conversation_providers')
    .selectAll()
    .where('app_id', '=', appId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function updateProvider(db: Executor, id: string, patch: ProviderPatch): Promise<void> {
  await db.updateTable('conversation_providers').set(patch).where('id', '=', id).execute();
}

export async function deleteProvider(db: Executor, id: string): Promise<boolean> {
  const result = await db.deleteFrom('conversation_providers').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

function installedQuery(db: Executor, locationId: string) {
  return db
    .selectFrom('provider_installations')
    .innerJoin('conversation_providers', 'conversation_providers.id', 'provider_installations.provider_id')
    .selectAll('conversation_providers')
    .select([
      'provider_installations.location_id',
      'provider_installations.is_default',
      'provider_installations.created_at as installed_at',
    ])
    .where('provider_installations.location_id', '=', locationId);
}

export async function listInstalledProviders(db: Executor, locationId: string): Promise<InstalledProviderRow[]> {
  const rows = await installedQuery(db, locationId)
    .orderBy('provider_installations.created_at')
    .orderBy('conversation_providers.id')
    .execute();
  return rows.map(decodeInstalled);
}

export async function findInstalledProvider(
  db: Executor,
  locationId: string,
  providerId: string,
): Promise<InstalledProviderRow | undefined> {
  const row = await installedQuery(db, locationId)
    .where('conversation_providers.id', '=', providerId)
    .executeTakeFirst();
  return row && decodeInstalled(row);
}

/** The location's default provider for a channel (SMS, Email, Call), if it has one. */
export async function findDefaultProvider(
  db: Executor,
  locationId: string,
  type: string,
): Promise<InstalledProviderRow | undefined> {
  const row = await installedQuery(db, locationId)
    .where('provider_installations.type', '=', type)
    .where('provider_installations.is_default', '=', 1)
    .executeTakeFirst();
  return row && decodeInstalled(row);
}

/** Installs a provider on a location, or changes whether it is the default there; answers whether it was new. */
export async function upsertProviderInstallation(
  db: Executor,
  installation: { location_id: string; provider_id: string; type: string; is_default: boolean; created_at: number },
): Promise<boolean> {
  const row = { ...installation, is_default: toFlag(installation.is_default) };
  // One default per channel: the previous default of this channel stops being it, in the same transaction.
  if (installation.is_default) {
    await db
      .updateTable('provider_installations')
      .set({ is_default: 0 })
      .where('location_id', '=', row.location_id)
      .where('type', '=', row.type)
      .where('is_default', '=', 1)
      .where('provider_id', '!=', row.provider_id)
      .execute();
  }
  const updated = await db
    .updateTable('provider_installations')
    .set({ is_default: row.is_default })
    .where('location_id', '=', row.location_id)
    .where('provider_id', '=', row.provider_id)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) > 0) return false;
  await db.insertInto('provider_installations').values(row).execute();
  return true;
}

export async function deleteProviderInstallation(db: Executor, locationId: string, providerId: string) {
  const result = await db
    .deleteFrom('provider_installations')
    .where('location_id', '=', locationId)
    .where('provider_id', '=', providerId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
