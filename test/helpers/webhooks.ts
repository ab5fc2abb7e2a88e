// Checking what Switchboard posts the way an integrator would: with the official SDK's WebhookManager, given the
// public key the admin API publishes.
import { HighLevel } from '@gohighlevel/api-client';
import type { Harness } from './harness.js';
import type { ReceivedRequest } from './receiver.js';

export async function publicKeyOf(harness: Harness): Promise<string> {
  const response = await harness.admin.get(null, '/admin/v1/webhooks/public-key');
  if (response.status !== 200) throw new Error(`public key: ${response.status}`);
  return response.body.publicKey as string;
}

/** An SDK client configured as the app's integrator configures it: its client id and our public key. */
export function sdkFor(appId: string, publicKey: string): HighLevel {
  return new HighLevel({
    clientId: `${appId}-sdk`,
    clientSecret: 'unused',
    webhookPublicKey: publicKey,
    logLevel: 'none',
  });
}

/**
 * Runs a received webhook through the SDK's own middleware (express.raw style: the body is the raw Buffer) and
 * answers what it concluded about the X-GHL-Signature header.
 */
export async function sdkVerdict(sdk: HighLevel, request: ReceivedRequest) {
  const req: Record<string, unknown> = {
    method: request.method,
    url: request.path,
    headers: request.headers,
    body: request.raw,
  };
  let failure: unknown;
  await sdk.webhooks.subscribe()(req as never, {}, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure;
  return { valid: req.isSignatureValid === true, skipped: req.skippedSignatureVerification === true };
}
