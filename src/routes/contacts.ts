// Contacts, as HighLevel's contacts API serves them: create, get, update, delete, upsert, and their tags.
import type { FastifyRequest } from 'fastify';
import type { ContactInput } from '../domain/contacts.js';
import { requestSchemas } from '../http/openapi.js';
import { authOf } from '../http/pipeline.js';
import { presentContact } from '../presenters/contacts.js';
import type { Services } from '../services.js';
import { type Route, schemaFrom } from './route.js';

type ById = FastifyRequest<{ Params: { contactId: string } }>;
type WithTags = FastifyRequest<{ Params: { contactId: string }; Body: { tags: string[] } }>;
type WithBody = FastifyRequest<{ Body: ContactInput & { locationId?: string } }>;

// The spec types dateOfBirth as an object, yet documents (and clients send) date strings; the domain checks the format.
const lenientBody = {
  properties: { dateOfBirth: { type: ['string', 'null'], maxLength: 64 } },
};

const tagsBody = {
  properties: {
    tags: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 256 } },
  },
};

function contactInput(body: ContactInput & { locationId?: string }): ContactInput {
  const { locationId: _ignored, ...input } = body;
  return input;
}

export function contactRoutes({ contacts }: Services): Route[] {
  return [
    {
      method: 'POST',
      url: '/contacts/',
      access: { kind: 'location', scope: 'contacts.write', locationFrom: 'body' },
      schema: schemaFrom(requestSchemas('contacts', 'create-contact'), { body: lenientBody }),
      handler: async (request: WithBody, reply) => {
        const row = await contacts.create(authOf(request).locationId, contactInput(request.body));
        return reply.code(201).send({ contact: presentContact(row) });
      },
    },
    {
      method: 'POST',
      url: '/contacts/upsert',
      access: { kind: 'location', scope: 'contacts.write', locationFrom: 'body' },
      schema: schemaFrom(requestSchemas('contacts', 'upsert-contact'), { body: lenientBody }),
      handler: async (request: WithBody) => {
        const { contact, created } = await contacts.upsert(authOf(request).locationId, contactInput(request.body));
        return { new: created, contact: presentContact(contact) };
      },
    },
    {
      method: 'GET',
      url: '/contacts/:contactId',
      access: { kind: 'location', scope: 'contacts.readonly' },
      schema: schemaFrom(requestSchemas('contacts', 'get-contact')),
      handler: async (request: ById) => {
        const row = await contacts.get(authOf(request).locationId, request.params.contactId);
        return { contact: presentContact(row) };
      },
    },
    {
      method: 'PUT',
      url: '/contacts/:contactId',
      access: { kind: 'location', scope: 'contacts.write', locationFrom: 'body' },
      schema: schemaFrom(requestSchemas('contacts', 'update-contact'), { body: lenientBody }),
      handler: async (
        request: FastifyRequest<{ Params: { contactId: string }; Body: ContactInput & { locationId?: string } }>,
      ) => {
        const row = await contacts.update(
          authOf(request).locationId,
          request.params.contactId,
          contactInput(request.body),
        );
        return { succeded: true, contact: presentContact(row) };
      },
    },
    {
      method: 'DELETE',
      url: '/contacts/:contactId',
      access: { kind: 'location', scope: 'contacts.write' },
      schema: schemaFrom(requestSchemas('contacts', 'delete-contact')),
      handler: async (request: ById) => {
        await contacts.delete(authOf(request).locationId, request.params.contactId);
        return { succeded: true };
      },
    },
    {
      method: 'POST',
      url: '/contacts/:contactId/tags',
      access: { kind: 'location', scope: 'contacts.write' },
      schema: schemaFrom(requestSchemas('contacts', 'add-tags'), { body: tagsBody }),
      handler: async (request: WithTags, reply) => {
        const { locationId } = authOf(request);
        const tags = await contacts.changeTags(locationId, request.params.contactId, request.body.tags, 'add');
        return reply.code(201).send({ tags });
      },
    },
    {
      method: 'DELETE',
      url: '/contacts/:contactId/tags',
      access: { kind: 'location', scope: 'contacts.write' },
      schema: schemaFrom(requestSchemas('contacts', 'remove-tags'), { body: tagsBody }),
      handler: async (request: WithTags) => {
        const { locationId } = authOf(request);
        return { tags: await contacts.changeTags(locationId, request.params.contactId, request.body.tags, 'remove') };
      },
    },
  ];
}
