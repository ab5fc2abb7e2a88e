// The official HighLevel SDK (`@gohighlevel/api-client`), configured as an integrator would, but aimed at our server.
import { HighLevel } from '@gohighlevel/api-client';

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
