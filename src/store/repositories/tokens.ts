// Private integration tokens, stored as digests, and instance-wide settings such as the admin token digest.
import type { Executor } from '../executor.js';
import type { ApiTokensTable } from '../schema.js';

export type TokenRow = ApiTokensTable;

export async function insertToken(db: Executor, row: TokenRow): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

export async function findActiveTokenByHash(db: Executor, tokenHash: string): Promise<TokenRow | undefined> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function listTokens(db: Executor, locationId: string): Promise<TokenRow[]> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('location_id', '=', locationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Marks a token revoked; answers whether a live token of that location was revoked. */
export async function revokeToken(db: Executor, locationId: string, tokenId: string, at: number): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', tokenId)
    .where('location_id', '=', locationId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function getSetting(db: Executor, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('instance_settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/**
 * Stores a setting only if it has none yet, so concurrent first writers all end up reading the same value;
 * answers whether this call stored it.
 */
export async function putSettingIfAbsent(db: Executor, key: string, value: string): Promise<boolean> {
  const result = await db
    .insertInto('instance_settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
