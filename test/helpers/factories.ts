// Factories: a location with a token, contacts, conversations, apps and providers, each made through the real API.
import { randomUUID } from 'node:crypto';
import type { Client, Harness } from './harness.js';
import { acceptingReceiver } from './receiver.js';

export interface TestLocation {
  locationId: string;
  token: string;
  api: Client;
}

export async function createLocation(harness: AdminAccess, scopes?: string[]): Promise<TestLocation> {
  const created = await harness.admin.post(null, '/admin/v1/locations', { name: `Test ${randomUUID().slice(0, 8)}` });
  if (created.status !== 201) throw new Error(`location: ${created.status} ${JSON.stringify(created.body)}`);
  const locationId = created.body.location.id as string;
  const token = await issueToken(harness, locationId, scopes);
  return { locationId, token, api: harness.client(token) };
}

export async function issueToken(harness: AdminAccess, locationId: string, scopes?: string[]): Promise<string> {
  const issued = await harness.admin.post(null, `/admin/v1/locations/${locationId}/tokens`, scopes ? { scopes } : {});
  if (issued.status !== 201) throw new Error(`token: ${issued.status} ${JSON.stringify(issued.body)}`);
  return issued.body.token as string;
}

let counter = 0;

export async function createContact(location: TestLocation, fields: Record<string, unknown> = {}) {
  counter += 1;
  const response = await location.api.post('contacts:create-contact', '/contacts/', {
    locationId: location.locationId,
    firstName: 'Test',
    lastName: `Contact${counter}`,
    email: `contact${counter}-${randomUUID().slice(0, 8)}@example.com`,
    ...fields,
  });
  if (response.status !== 201) throw new Error(`contact: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.contact as { id: string; email?: string; phone?: string; name?: string; dateAdded?: string };
}

export async function createConversation(location: TestLocation, contactId?: string) {
  const contact = contactId ?? (await createContact(location)).id;
  const response = await location.api.post('conversations:create-conversation', '/conversations/', {
    locationId: location.locationId,
    contactId: contact,
  });
  if (response.status !== 201) throw new Error(`conversation: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.conversation as { id: string; contactId: string; locationId: string };
}

export interface TestProvider {
  appId: string;
  providerId: string;
  /** The location as the provider's app sees it: a token of the app, on the location. */
  app: TestLocation;
}

/** What the app and provider factories need of a harness. */
export type AdminAccess = Pick<Harness, 'admin' | 'client'>;

/** An app made through the admin API (all scopes unless given). */
export async function createApp(harness: AdminAccess, fields: Record<string, unknown> = {}) {
  const created = await harness.admin.post(null, '/admin/v1/apps', {
    name: `App ${randomUUID().slice(0, 8)}`,
    ...fields,
  });
  if (created.status !== 201) throw new Error(`app: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.app as { id: string; name: string; scopes: string[]; webhookUrl: string | null };
}

/**
 * A conversation provider installed on the location, owned by a new app (or `appId`) that holds a token there.
 * Deliveries go to `deliveryUrl`, by default a receiver that accepts everything.
 */
export async function createProvider(
  harness: AdminAccess,
  location: TestLocation,
  options: { type?: 'SMS' | 'Email' | 'Call'; isDefault?: boolean; deliveryUrl?: string; appId?: string } = {},
): Promise<TestProvider> {
  const appId = options.appId ?? (await createApp(harness)).id;
  const deliveryUrl = options.deliveryUrl ?? `${(await acceptingReceiver()).url}/deliver`;
  const created = await harness.admin.post(null, `/admin/v1/apps/${appId}/providers`, {
    name: 'Test gateway',
    type: options.type ?? 'SMS',
    deliveryUrl,
  });
  if (created.status !== 201) throw new Error(`provider: ${created.status} ${JSON.stringify(created.body)}`);
  const providerId = created.body.provider.id as string;
  const installed = await harness.admin.post(null, `/admin/v1/locations/${location.locationId}/providers`, {
    providerId,
    isDefault: options.isDefault ?? false,
  });
  if (installed.status !== 201) throw new Error(`install: ${installed.status} ${JSON.stringify(installed.body)}`);
  const issued = await harness.admin.post(null, `/admin/v1/locations/${location.locationId}/tokens`, { appId });
  if (issued.status !== 201) throw new Error(`app token: ${issued.status} ${JSON.stringify(issued.body)}`);
  const token = issued.body.token as string;
  return { appId, providerId, app: { locationId: location.locationId, token, api: harness.client(token) } };
}
