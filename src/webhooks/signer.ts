// The instance's Ed25519 key pair: generated on first start, kept in instance_settings, shared by every server on
// the database. Webhooks and provider deliveries carry X-GHL-Signature, the base64 signature of their exact body.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { Store } from '../store/database.js';
import { getSetting, putSettingIfAbsent } from '../store/repositories/tokens.js';

export const SIGNATURE_HEADER = 'X-GHL-Signature';
const KEY_SETTING = 'webhook_signing_key_pkcs8';

export interface PublicKeyDescription {
  algorithm: 'Ed25519';
  /** SPKI PEM, as the SDK's WebhookManager takes it (WEBHOOK_SIGNATURE_PUBLIC_KEY). */
  publicKey: string;
  /** The raw 32-byte key, base64. */
  publicKeyBase64: string;
}

export class WebhookSigner {
  private key: Promise<KeyObject> | null = null;

  constructor(private readonly store: Store) {}

  /** The private key, made and stored on first use; a concurrent first start of another server wins or loses cleanly. */
  private privateKey(): Promise<KeyObject> {
    this.key ??= (async () => {
      let pem = await getSetting(this.store.db, KEY_SETTING);
      if (!pem) {
        const { privateKey } = generateKeyPairSync('ed25519');
        await putSettingIfAbsent(
          this.store.db,
          KEY_SETTING,
          privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        );
        pem = await getSetting(this.store.db, KEY_SETTING);
        if (!pem) throw new Error('the webhook signing key could not be stored');
      }
      return createPrivateKey(pem);
    })().catch((error: unknown) => {
      this.key = null;
      throw error;
    });
    return this.key;
  }

  /** Makes sure the key pair exists (called at start-up). */
  async ensureKey(): Promise<void> {
    await this.privateKey();
  }

  /** Base64 Ed25519 signature over the body's UTF-8 bytes, exactly as sent. */
  async sign(body: string): Promise<string> {
    return sign(null, Buffer.from(body, 'utf8'), await this.privateKey()).toString('base64');
  }

  async publicKey(): Promise<PublicKeyDescription> {
    const key = createPublicKey(await this.privateKey());
    const der = key.export({ type: 'spki', format: 'der' });
    return {
      algorithm: 'Ed25519',
      publicKey: key.export({ type: 'spki', format: 'pem' }).toString(),
      // An Ed25519 SPKI is a fixed 12-byte prefix followed by the raw key.
      publicKeyBase64: der.subarray(der.length - 32).toString('base64'),
    };
  }
}
