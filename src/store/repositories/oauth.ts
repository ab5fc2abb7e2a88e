// OAuth grants, single-use authorisation codes and rotating refresh tokens (codes and tokens stored as digests).
import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import type { OAuthCodesTable, OAuthGrantsTable, OAuthRefreshTokensTable } from '../schema.js';
import { type AppRecord, decodeApp } from './apps.js';

export type GrantRow = OAuthGrantsTable;
export type CodeRow = OAuthCodesTable;
export type RefreshTokenRow = OAuthRefreshTokensTable;

export async function findAppByClientId(db: Executor, clientId: string): Promise<AppRecord | undefined> {
  const row = await db.selectFrom('apps').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  return row && decodeApp(row);
}

export async function insertCode(db: Executor, row: CodeRow): Promise<void> {
  await db.insertInto('oauth_codes').values(row).execute();
}

export async function findCode(db: Executor, codeHash: string): Promise<CodeRow | undefined> {
  return db.selectFrom('oauth_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
}

/** Spends a code; answers false when it was spent already (a second exchange, or a concurrent one). */
export async function spendCode(db: Executor, codeHash: string, at: number): Promise<boolean> {
  const result = await db
    .updateTable('oauth_codes')
    .set({ used_at: at })
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function recordCodeGrant(db: Executor, codeHash: string, grantId: string): Promise<void> {
  await db.updateTable('oauth_codes').set({ grant_id: grantId }).where('code_hash', '=', codeHash).execute();
}

/** Codes expired a day ago or more are of no use, even to detect a replay: forget them. */
export async function pruneCodes(db: Executor, before: number): Promise<void> {
  await db.deleteFrom('oauth_codes').where('expires_at', '<', before).execute();
}

export async function insertGrant(db: Executor, row: GrantRow): Promise<void> {
  await db.insertInto('oauth_grants').values(row).execute();
}

export async function findGrant(db: Executor, id: string): Promise<GrantRow | undefined> {
  return db.selectFrom('oauth_grants').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function revokeGrant(db: Executor, id: string, at: number): Promise<void> {
  await db
    .updateTable('oauth_grants')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

/**
 * What an access token's grant says on each request: whether it stands, whose app it is, and, for a token of a
 * location, whether the app is still installed there. One primary-key lookup.
 */
export async function grantStanding(db: Executor, grantId: string, locationId: string | null) {
  return db
    .selectFrom('oauth_grants as g')
    .leftJoin('app_installations as i', (join) =>
      join.onRef('i.app_id', '=', 'g.app_id').on('i.location_id', '=', locationId ?? ''),
    )
    .select(['g.app_id', 'g.revoked_at', 'i.location_id as installed_location'])
    .where('g.id', '=', grantId)
    .executeTakeFirst();
}

export async function insertRefreshToken(db: Executor, row: RefreshTokenRow): Promise<void> {
  await db.insertInto('oauth_refresh_tokens').values(row).execute();
}

export async function findRefreshToken(db: Executor, tokenHash: string) {
  return db
    .selectFrom('oauth_refresh_tokens as r')
    .innerJoin('oauth_grants as g', 'g.id', 'r.grant_id')
    .selectAll('g')
    .select(['r.token_hash', 'r.expires_at', 'r.used_at'])
    .where('r.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Spends a refresh token; answers false when it was spent already. */
export async function spendRefreshToken(db: Executor, tokenHash: string, at: number): Promise<boolean> {
  const result = await db
    .updateTable('oauth_refresh_tokens')
    .set({ used_at: at })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The locations of a company, each with whether (and since when) the app is installed there. */
export async function companyLocations(
  db: Executor,
  companyId: string,
  appId: string,
  filter: { query?: string; locationId?: string; isInstalled?: boolean; skip: number; limit: number },
) {
  let base = db
    .selectFrom('locations as l')
    .leftJoin('app_installations as i', (join) => join.onRef('i.location_id', '=', 'l.id').on('i.app_id', '=', appId))
    .where('l.company_id', '=', companyId);
  if (filter.locationId !== undefined) base = base.where('l.id', '=', filter.locationId);
  if (filter.query) {
    const pattern = `%${filter.query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base = base.where(sql<boolean>`lower(${sql.ref('l.name')}) like ${pattern} escape '\\'`);
  }
  if (filter.isInstalled === true) base = base.where('i.app_id', 'is not', null);
  if (filter.isInstalled === false) base = base.where('i.app_id', 'is', null);
  const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select(['l.id', 'l.name', 'i.created_at as installed_at'])
    .orderBy('l.created_at')
    .orderBy('l.id')
    .offset(filter.skip)
    .limit(filter.limit)
    .execute();
  return { count: Number(count.n), rows };
}

/** The ids of a company's locations. */
export async function companyLocationIds(db: Executor, companyId: string): Promise<string[]> {
  const rows = await db.selectFrom('locations').select('id').where('company_id', '=', companyId).execute();
  return rows.map((row) => row.id);
}
