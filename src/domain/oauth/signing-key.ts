// The RSA key OAuth access tokens are signed with (RS256, as HighLevel's are): generated on first use, kept in
// instance_settings so tokens outlive restarts and every server on the database signs and verifies alike.
import { createPublicKey, generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { type CryptoKey, exportJWK, importPKCS8, importSPKI, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { Store } from '../../store/database.js';
import { getSetting, putSettingIfAbsent } from '../../store/repositories/tokens.js';

const KEY_SETTING = 'oauth_signing_key_pkcs8';
const ALGORITHM = 'RS256';

interface Keys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicPem: string;
}

export class OAuthSigningKey {
  private keys: Promise<Keys> | null = null;

  constructor(private readonly store: Store) {}

  /** Loads the key, making and storing it first if there is none; a concurrent first start of another server wins
   * or loses cleanly (whoever stored first, everyone reads that one). */
  private load(): Promise<Keys> {
    this.keys ??= (async () => {
      let pem = await getSetting(this.store.db, KEY_SETTING);
      if (!pem) {
        const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
        await putSettingIfAbsent(
          this.store.db,
          KEY_SETTING,
          privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        );
        pem = await getSetting(this.store.db, KEY_SETTING);
        if (!pem) throw new Error('the OAuth signing key could not be stored');
      }
      const publicPem = createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
      return {
        privateKey: await importPKCS8(pem, ALGORITHM),
        publicKey: await importSPKI(publicPem, ALGORITHM, { extractable: true }),
        publicPem,
      };
    })().catch((error: unknown) => {
      this.keys = null;
      throw error;
    });
    return this.keys;
  }

  /** Signs the claims, valid from `issuedAtMs` for `lifetimeSeconds`. */
  async sign(claims: JWTPayload, issuedAtMs: number, lifetimeSeconds: number): Promise<string> {
    const { privateKey } = await this.load();
    const iat = Math.floor(issuedAtMs / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuedAt(iat)
      .setExpirationTime(iat + lifetimeSeconds)
      .sign(privateKey);
  }

  /** The claims of a token this key signed and that has not expired at `nowMs`, or null for anything else. */
  async verify(token: string, nowMs: number): Promise<JWTPayload | null> {
    const { publicKey } = await this.load();
    try {
      const { payload } = await jwtVerify(token, publicKey, { algorithms: [ALGORITHM], currentDate: new Date(nowMs) });
      return payload;
    } catch {
      return null;
    }
  }

  /** The public key, for integrators who verify tokens themselves. */
  async publicKey(): Promise<{ algorithm: string; publicKey: string; jwk: Record<string, unknown> }> {
    const { publicKey, publicPem } = await this.load();
    return { algorithm: ALGORITHM, publicKey: publicPem, jwk: { ...(await exportJWK(publicKey)), alg: ALGORITHM } };
  }
}
