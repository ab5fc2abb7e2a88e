// Opaque, tamper-evident paging cursors. A cursor carries a keyset position (sort value, seq) and an HMAC-SHA256
// over that position together with a digest of the query it was issued for, so a cursor that was edited, forged,
// or issued for other filters or another sort is refused. The key is a per-instance secret kept in the database.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/database.js';
import { getSetting, putSettingIfAbsent } from '../store/repositories/tokens.js';
import { DomainError } from './errors.js';

export interface KeysetPosition {
  /** The sort column's value of the last row handed out (epoch milliseconds). */
  value: number;
  /** The row's sequence number, the tiebreak between equal sort values. */
  seq: number;
}

const SECRET_SETTING = 'cursor_hmac_secret';
const VERSION = 'c1';
// A signed position is ~60 characters; anything much longer cannot be ours.
const MAX_CURSOR_LENGTH = 256;

export function invalidCursor(): DomainError {
  return new DomainError('VALIDATION_FAILED', ['cursor is invalid']);
}

/** A stable digest of what a cursor belongs to: the query's filters and sort, not its page size. */
export function queryDigest(query: Record<string, string | number | undefined>): string {
  const canonical = Object.keys(query)
    .sort()
    .map((key) => [key, query[key] ?? null]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}

export class CursorSigner {
  private secret: Promise<Buffer> | undefined;

  constructor(private readonly store: Store) {}

  async sign(position: KeysetPosition, digest: string): Promise<string> {
    const payload = Buffer.from(JSON.stringify([position.value, position.seq])).toString('base64url');
    return `${payload}.${await this.mac(payload, digest)}`;
  }

  /** The position a cursor names, or a 422 "cursor is invalid" for anything this instance did not issue for `digest`. */
  async verify(cursor: string, digest: string): Promise<KeysetPosition> {
    if (cursor.length > MAX_CURSOR_LENGTH) throw invalidCursor();
    const [payload, mac, ...rest] = cursor.split('.');
    if (!payload || !mac || rest.length > 0) throw invalidCursor();
    const expected = Buffer.from(await this.mac(payload, digest));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor();
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalidCursor();
    }
    // Signed by us, so well-formed; checked anyway so a leaked secret cannot reach the database with odd values.
    if (!Array.isArray(decoded) || decoded.length !== 2 || !decoded.every((n) => Number.isSafeInteger(n))) {
      throw invalidCursor();
    }
    return { value: decoded[0], seq: decoded[1] };
  }

  private async mac(payload: string, digest: string): Promise<string> {
    return createHmac('sha256', await this.key())
      .update(`${VERSION}.${digest}.${payload}`)
      .digest('base64url');
  }

  /** Loaded once per process; generated once per instance (the first writer wins, everyone reads its value). */
  private key(): Promise<Buffer> {
    this.secret ??= (async () => {
      let stored = await getSetting(this.store.db, SECRET_SETTING);
      if (stored === undefined) {
        const secret = randomBytes(32).toString('hex');
        await this.store.unit(({ db }) => putSettingIfAbsent(db, SECRET_SETTING, secret));
        stored = await getSetting(this.store.db, SECRET_SETTING);
      }
      if (stored === undefined) throw new DomainError('INTERNAL', 'cursor secret could not be stored');
      return Buffer.from(stored, 'hex');
    })().catch((error: unknown) => {
      this.secret = undefined;
      throw error;
    });
    return this.secret;
  }
}
