// Who may approve an installation on the consent page: the operator, proven by the admin token (as a bearer header,
// or once through a sign-in form that leaves a signed, HttpOnly session cookie), and a CSRF token bound to that proof.
// Everything is keyed from the admin token's digest: changing the admin token ends every session and form.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../../store/database.js';
import { getSetting } from '../../store/repositories/tokens.js';
import { ADMIN_TOKEN_SETTING, type AuthService } from '../auth.js';
import type { Clock } from '../clock.js';
import { hashToken } from '../ids.js';

export const SESSION_COOKIE = 'switchboard_operator';
export const SESSION_TTL_MS = 12 * 3600 * 1000;

/** How the operator proved who they are on this request: the session cookie's value, or the bearer token. */
export type OperatorProof = { kind: 'session'; value: string } | { kind: 'bearer' };

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class OperatorSessions {
  constructor(
    private readonly deps: { store: Store; clock: Clock; auth: AuthService; configuredAdminToken: string | null },
  ) {}

  private async key(): Promise<Buffer | null> {
    const { configuredAdminToken, store } = this.deps;
    const digest = configuredAdminToken
      ? hashToken(configuredAdminToken)
      : await getSetting(store.db, ADMIN_TOKEN_SETTING);
    return digest ? createHmac('sha256', digest).update('switchboard oauth consent').digest() : null;
  }

  private async mac(purpose: string, value: string): Promise<string | null> {
    const key = await this.key();
    return key ? createHmac('sha256', key).update(`${purpose}:${value}`).digest('base64url') : null;
  }

  isAdminToken(token: string | null): Promise<boolean> {
    return this.deps.auth.isAdminToken(token);
  }

  /** A new session cookie value: its expiry, a nonce (each session's forms are its own), and a MAC over both. */
  async newSession(): Promise<{ value: string; maxAgeSeconds: number }> {
    const body = `${this.deps.clock.now() + SESSION_TTL_MS}.${randomBytes(12).toString('base64url')}`;
    const mac = await this.mac('session', body);
    if (!mac) throw new Error('no admin token to sign operator sessions with');
    return { value: `${body}.${mac}`, maxAgeSeconds: SESSION_TTL_MS / 1000 };
  }

  /** The operator's proof on a request: a live session cookie, or the admin token as a bearer token. */
  async proof(cookie: string | null, bearer: string | null): Promise<OperatorProof | null> {
    if (bearer && (await this.isAdminToken(bearer))) return { kind: 'bearer' };
    if (!cookie) return null;
    const [expires, nonce, mac] = cookie.split('.');
    if (!expires || !nonce || !mac || !/^\d+$/.test(expires) || Number(expires) <= this.deps.clock.now()) return null;
    const expected = await this.mac('session', `${expires}.${nonce}`);
    return expected && sameText(mac, expected) ? { kind: 'session', value: cookie } : null;
  }

  /** The CSRF token of forms shown to this proof. */
  async csrfToken(proof: OperatorProof): Promise<string> {
    const token = await this.mac('csrf', proof.kind === 'session' ? proof.value : 'bearer');
    if (!token) throw new Error('no admin token to sign forms with');
    return token;
  }

  async csrfMatches(proof: OperatorProof, token: unknown): Promise<boolean> {
    return typeof token === 'string' && sameText(token, await this.csrfToken(proof));
  }
}

/** One cookie's value from a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=') || null;
  }
  return null;
}
