// The official HighLevel SDK (`@gohighlevel/api-client`), configured as an integrator would, but aimed at our server.
import { GHLError, HighLevel } from '@gohighlevel/api-client';
import { expect } from 'vitest';
import type { SpecName } from '../../src/http/openapi.js';
import { specErrors } from './spec-validator.js';

/**
 * A HighLevel client using a private integration token, talking to `baseUrl` instead of services.leadconnectorhq.com.
 *
 * The SDK has no base-URL option: its constructor creates one axios instance with the private static
 * `HighLevel.BASE_URL`, and every service (conversations, contacts, ...) sends relative paths through that instance.
 * Repointing the instance's `defaults.baseURL` through the public `getHttpClient()` is the one change; headers,
 * interceptors, token handling and query serialisation stay exactly as the SDK ships them.
 */
export function highLevelClient(baseUrl: string, privateIntegrationToken: string): HighLevel {
  const client = new HighLevel({ privateIntegrationToken, logLevel: 'none' });
  client.getHttpClient().defaults.baseURL = baseUrl;
  return client;
}

/** The SDK hands back only the body; check it against the spec for the status the operation answers. */
export function expectSpec<T>(operation: `${SpecName}:${string}`, status: number, body: T): T {
  const [spec, operationId] = operation.split(':') as [SpecName, string];
  expect(specErrors(spec, operationId, status, body), `${operation} ${status}`).toEqual([]);
  return body;
}

/** The GHLError a rejected SDK call throws, for assertions on its class, status and body. */
export async function sdkError(call: Promise<unknown>): Promise<GHLError> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof GHLError)) throw new Error(`expected a GHLError, got ${String(error)}`);
  return error;
}
