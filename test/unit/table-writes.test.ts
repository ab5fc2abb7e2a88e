// Which tables a statement writes is read off Kysely's query tree, never its SQL text.
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TableWrites } from '../../src/store/table-writes.js';

interface Tables {
  api_tokens: { id: string; location_id: string };
  notes: { id: string; body: string };
}

describe('TableWrites', () => {
  let writes: TableWrites;
  let db: Kysely<Tables>;

  beforeEach(async () => {
    writes = new TableWrites(['api_tokens']);
    db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: new Database(':memory:') }), plugins: [writes] });
    await sql`CREATE TABLE api_tokens (id TEXT PRIMARY KEY, location_id TEXT)`.execute(db);
    await sql`CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT)`.execute(db);
  });
  afterEach(() => db.destroy());

  it('counts each insert, update and delete of a watched table twice: as it begins and once it has run', async () => {
    await db.insertInto('api_tokens').values({ id: 't1', location_id: 'L' }).execute();
    expect(writes.count('api_tokens')).toBe(2);
    await db.updateTable('api_tokens').set({ location_id: 'M' }).execute();
    await db.deleteFrom('api_tokens').where('id', '=', 't1').execute();
    expect(writes.count('api_tokens')).toBe(6);
  });

  it('leaves reads and writes of other tables uncounted, even when their text names a watched table', async () => {
    await db.selectFrom('api_tokens').selectAll().execute();
    await db.insertInto('notes').values({ id: 'n1', body: 'delete from api_tokens' }).execute();
    await sql`UPDATE notes SET body = 'insert into api_tokens'`.execute(db);
    expect(writes.count('api_tokens')).toBe(0);
  });

  it('counts raw SQL that names a watched table through sql.table()', async () => {
    await sql`DELETE FROM ${sql.table('api_tokens')} WHERE location_id = ${'L'}`.execute(db);
    expect(writes.count('api_tokens')).toBe(2);
  });
});
