// Factories: a location with a token, contacts and conversations, each made through the real API.
import { randomUUID } from 'node:crypto';
import type { Client, Harness } from './harness.js';

export interface TestLocation {
  locationId: string;
  token: string;
  api: Client;
}

export async function createLocation(harness: Harness, scopes?: string[]): Promise<TestLocation> {
  const created = await harness.admin.post(null, '/admin/v1/locations', { name: `Test ${randomUUID().slice(0, 8)}` });
  if (created.status !== 201) throw new Error(`location: ${created.status} ${JSON.stringify(created.body)}`);
  const locationId = created.body.location.id as string;
  const token = await issueToken(harness, locationId, scopes);
  return { locationId, token, api: harness.client(token) };
}

export async function issueToken(harness: Harness, locationId: string, scopes?: string[]): Promise<string> {
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
  return response.body.contact as { id: string; email?: string; phone?: string; name?: string };
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
