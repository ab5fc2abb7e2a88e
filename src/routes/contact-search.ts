// Contact search, both of HighLevel's: GET /contacts/ (the older, deprecated one the SDK's getContacts calls),
// POST /contacts/search (filters, sort, page or searchAfter) and GET /contacts/search/duplicate.
import type { FastifyRequest } from 'fastify';
import {
  type AdvancedSearchInput,
  advancedSearch,
  listSearch,
  MAX_LIST_LIMIT,
  MAX_PAGE_LIMIT,
} from '../domain/contact-search.js';
import { DomainError } from '../domain/errors.js';
import { requestSchemas } from '../http/openapi.js';
import { authOf } from '../http/pipeline.js';
import { presentContact, presentSearchedContact } from '../presenters/contacts.js';
import type { Services } from '../services.js';
import { type Route, schemaFrom } from './route.js';

interface ListQuery {
  locationId: string;
  query?: string;
  limit?: number;
  startAfter?: number;
  startAfterId?: string;
}

/**
 * The spec leaves the newer search's body empty (SearchBodyV2DTO has no properties); this is the body HighLevel
 * documents for it. Filters are checked in the domain, where each gets a message naming it.
 */
const advancedBody = {
  type: 'object',
  required: ['locationId'],
  additionalProperties: false,
  properties: {
    locationId: { type: 'string', minLength: 1 },
    query: { type: 'string', maxLength: 256 },
    page: { type: 'integer', minimum: 1 },
    pageLimit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT },
    searchAfter: { type: 'array', maxItems: 2, items: { type: ['string', 'number'] } },
    filters: { type: 'array', maxItems: 50, items: { type: 'object' } },
    sort: {
      type: 'array',
      maxItems: 1,
      items: {
        type: 'object',
        required: ['field'],
        properties: { field: { type: 'string' }, direction: { type: 'string', enum: ['asc', 'desc'] } },
      },
    },
  },
};

export function contactSearchRoutes({ contacts, config }: Services): Route[] {
  return [
    {
      method: 'GET',
      url: '/contacts/',
      access: { kind: 'location', scope: 'contacts.readonly', locationFrom: 'query' },
      schema: schemaFrom(requestSchemas('contacts', 'get-contacts'), {
        querystring: {
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: MAX_LIST_LIMIT },
            startAfter: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
            query: { type: 'string', maxLength: 256 },
          },
        },
      }),
      handler: async (request: FastifyRequest<{ Querystring: ListQuery }>) => {
        const locationId = authOf(request).locationId;
        const search = listSearch({ ...request.query, locationId });
        const page = await contacts.search(search);
        const last = page.rows.length === search.limit ? page.rows.at(-1) : undefined;
        const next = last && { startAfterId: last.id, startAfter: last.date_added };
        const nextPageUrl = next
          ? `${new URL('/contacts/', config.publicUrl).href}?${new URLSearchParams({
              locationId,
              limit: String(search.limit),
              ...(request.query.query ? { query: request.query.query } : {}),
              startAfter: String(next.startAfter),
              startAfterId: next.startAfterId,
            })}`
          : null;
        return {
          contacts: page.rows.map(presentContact),
          count: page.total,
          meta: {
            total: page.total,
            nextPageUrl,
            startAfterId: next?.startAfterId ?? null,
            startAfter: next?.startAfter ?? null,
          },
        };
      },
    },
    {
      method: 'POST',
      url: '/contacts/search',
      access: { kind: 'location', scope: 'contacts.readonly', locationFrom: 'body' },
      schema: schemaFrom(requestSchemas('contacts', 'search-contacts-advanced'), { body: advancedBody }),
      handler: async (request: FastifyRequest<{ Body: AdvancedSearchInput }>) => {
        const search = advancedSearch({ ...request.body, locationId: authOf(request).locationId });
        const page = await contacts.search(search);
        return {
          contacts: page.rows.map((row) => presentSearchedContact(row, row.sort_key)),
          total: page.total,
        };
      },
    },
    {
      method: 'GET',
      url: '/contacts/search/duplicate',
      access: { kind: 'location', scope: 'contacts.readonly', locationFrom: 'query' },
      schema: schemaFrom(requestSchemas('contacts', 'get-duplicate-contact'), {
        querystring: {
          properties: { number: { type: 'string', maxLength: 64 }, email: { type: 'string', maxLength: 320 } },
        },
      }),
      handler: async (request: FastifyRequest<{ Querystring: { number?: string; email?: string } }>) => {
        const { number, email } = request.query;
        if (!number?.trim() && !email?.trim()) {
          throw new DomainError('VALIDATION_FAILED', ['number or email must be given']);
        }
        const contact = await contacts.findDuplicateOf(authOf(request).locationId, {
          email: email?.trim() || undefined,
          phone: number?.trim() || undefined,
        });
        return { contact: contact ? presentContact(contact) : null };
      },
    },
  ];
}
