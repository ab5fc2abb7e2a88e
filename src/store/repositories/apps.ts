// Apps and the locations they are installed on.
import type { Executor } from '../executor.js';
import { encodePatch, stringList } from '../records/columns.js';
import type { AppsTable } from '../schema.js';

/** An app as the domain and presenters read it: its scopes, webhook types and redirect URIs as lists. */
export interface AppRecord extends Omit<AppsTable, 'scopes' | 'webhook_events' | 'redirect_uris'> {
  scopes: string[];
  /** null: every type the scopes allow. */
  webhook_events: string[] | null;
  redirect_uris: string[];
}
/** @deprecated the name before records: an app as read. */
export type AppRow = AppRecord;
export type AppPatch = Partial<Omit<AppRecord, 'id' | 'created_at'>>;

export function decodeApp<Row extends AppsTable>(
  row: Row,
): Omit<Row, 'scopes' | 'webhook_events' | 'redirect_uris'> & AppRecord {
  return {
    ...row,
    scopes: stringList(row.scopes),
    webhook_events: row.webhook_events === null ? null : stringList(row.webhook_events),
    redirect_uris: stringList(row.redirect_uris),
  };
}

const json = (value: string[]) => JSON.stringify(value);
const APP_ENCODERS = {
  scopes: json,
  webhook_events: (value: string[] | null) => (value === null ? null : json(value)),
  redirect_uris: json,
};

export function encodeApp(record: AppRecord): AppsTable {
  return encodePatch<AppRecord, AppsTable>(record, APP_ENCODERS) as AppsTable;
}

export async function insertApp(db: Executor, app: AppRecord): Promise<void> {
  await db.insertInto('apps').values(encodeApp(app)).execute();
}

export async function findApp(db: Executor, id: string): Promise<AppRecord | undefined> {
  const row = await db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
  return row && decodeApp(row);
}

export async function listApps(db: Executor): Promise<AppRecord[]> {
  return (await db.selectFrom('apps').selectAll().orderBy('created_at').orderBy('id').execute()).map(decodeApp);
}

export async function updateApp(db: Executor, id: string, patch: AppPatch): Promise<void> {
  await db
    .updateTable('apps')
    .set(encodePatch<AppRecord, AppsTable>(patch, APP_ENCODERS))
    .where('id', '=', id)
    .execute();
}

/** Deletes an app; its providers, installations and delivery log go with it (foreign keys cascade). */
export async function deleteApp(db: Executor, id: string): Promise<boolean> {
  const result = await db.deleteFrom('apps').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Installs an app on a location unless it is installed already; answers whether this call installed it. */
export async function installApp(db: Executor, locationId: string, appId: string, at: number): Promise<boolean> {
  const result = await db
    .insertInto('app_installations')
    .values({ location_id: locationId, app_id: appId, created_at: at })
    .onConflict((oc) => oc.columns(['location_id', 'app_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function isAppInstalled(db: Executor, locationId: string, appId: string): Promise<boolean> {
  const row = await db
    .selectFrom('app_installations')
    .select('app_id')
    .where('location_id', '=', locationId)
    .where('app_id', '=', appId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The apps installed on a location, with the date of each installation. */
export async function installedApps(db: Executor, locationId: string) {
  const rows = await db
    .selectFrom('app_installations')
    .innerJoin('apps', 'apps.id', 'app_installations.app_id')
    .selectAll('apps')
    .select('app_installations.created_at as installed_at')
    .where('app_installations.location_id', '=', locationId)
    .orderBy('app_installations.created_at')
    .orderBy('apps.id')
    .execute();
  return rows.map(decodeApp);
}

/** The apps installed on a location that have a webhook URL: whom its changes may be told to. */
export async function webhookSubscribers(db: Executor, locationId: string): Promise<AppRecord[]> {
  const rows = await db
    .selectFrom('app_installations')
    .innerJoin('apps', 'apps.id', 'app_installations.app_id')
    .selectAll('apps')
    .where('app_installations.location_id', '=', locationId)
    .where('apps.webhook_url', 'is not', null)
    .execute();
  return rows.map(decodeApp);
}

/** Uninstalls an app from a location: its providers leave the location, its tokens and OAuth grants there are revoked. */
export async function uninstallApp(db: Executor, locationId: string, appId: string, at: number): Promise<boolean> {
  const result = await db
    .deleteFrom('app_installations')
    .where('location_id', '=', locationId)
    .where('app_id', '=', appId)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) return false;
  await db
    .deleteFrom('provider_installations')
    .where('location_id', '=', locationId)
    .where('provider_id', 'in', db.selectFrom('conversation_providers').select('id').where('app_id', '=', appId))
    .execute();
  await revokeAppTokens(db, appId, at, locationId);
  // Its OAuth grants for the location end too: installing it again takes a new authorisation.
  await db
    .updateTable('oauth_grants')
    .set({ revoked_at: at })
    .where('app_id', '=', appId)
    .where('location_id', '=', locationId)
    .where('revoked_at', 'is', null)
    .execute();
  return true;
}

/** Revokes the live tokens of an app (on one location, or everywhere). */
export async function revokeAppTokens(db: Executor, appId: string, at: number, locationId?: string): Promise<void> {
  let query = db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('app_id', '=', appId)
    .where('revoked_at', 'is', null);
  if (locationId) query = query.where('location_id', '=', locationId);
  await query.execute();
}
