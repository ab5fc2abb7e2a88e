// The MCP tools, named as HighLevel's MCP server names them (`<api>_<operationId>`), each bound to the REST route
// that serves its operation: the tool's input schema is that route's (spec-derived) schema with HighLevel's
// `path_`, `query_` and `body_` argument prefixes, and a call runs that route (docs/mcp.md).
import type { FastifySchema } from 'fastify';
import type { Scope } from '../domain/scopes.js';
import type { Route } from '../routes/route.js';

type Json = Record<string, unknown>;

export type ArgumentPlace = 'path' | 'query' | 'body';

export interface ToolBinding {
  name: string;
  description: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  /** The Version header HighLevel's API family takes (conversations: 2021-04-15, the rest: 2021-07-28). */
  version: string;
  /** A sandbox tool: listed only when the sandbox tools are on (docs/mcp.md). */
  sandbox?: boolean;
}

export interface Tool extends ToolBinding {
  scope: Scope;
  inputSchema: { type: 'object'; properties: Record<string, Json>; required: string[]; additionalProperties: false };
  /** Which request part each argument goes to, and under which name. */
  places: Map<string, { place: ArgumentPlace; name: string }>;
  /** Where the operation names its location (filled from the locationId header when the caller leaves it out). */
  locationArgument: string | null;
}

const CONVERSATIONS = '2021-04-15';
const CONTACTS = '2021-07-28';

/** HighLevel's tools that Switchboard serves, in the order of HighLevel's own list. */
export const TOOL_BINDINGS: ToolBinding[] = [
  {
    name: 'contacts_add-tags',
    description: 'Add tags to a contact (keeps its other tags). Answers the contact’s tags.',
    method: 'POST',
    url: '/contacts/:contactId/tags',
    version: CONTACTS,
  },
  {
    name: 'contacts_remove-tags',
    description: 'Remove tags from a contact. Answers the tags it keeps.',
    method: 'DELETE',
    url: '/contacts/:contactId/tags',
    version: CONTACTS,
  },
  {
    name: 'contacts_get-contact',
    description: 'Fetch a contact by its id.',
    method: 'GET',
    url: '/contacts/:contactId',
    version: CONTACTS,
  },
  {
    name: 'contacts_update-contact',
    description: 'Update a contact: the fields sent change, the others stay.',
    method: 'PUT',
    url: '/contacts/:contactId',
    version: CONTACTS,
  },
  {
    name: 'contacts_upsert-contact',
    description: 'Create a contact, or update the one with the same email (then phone).',
    method: 'POST',
    url: '/contacts/upsert',
    version: CONTACTS,
  },
  {
    name: 'contacts_create-contact',
    description: 'Create a contact. A location refuses a second contact with the same email or phone.',
    method: 'POST',
    url: '/contacts/',
    version: CONTACTS,
  },
  {
    name: 'contacts_get-contacts',
    description:
      'Search the location’s contacts: query by phone, email, or the start of a name or company; newest first, paged with startAfter and startAfterId.',
    method: 'GET',
    url: '/contacts/',
    version: CONTACTS,
  },
  {
    name: 'conversations_search-conversation',
    description: 'Search the location’s conversations by contact, status, assignee or text; sorted and paged.',
    method: 'GET',
    url: '/conversations/search',
    version: CONVERSATIONS,
  },
  {
    name: 'conversations_get-messages',
    description: 'Fetch the messages of a conversation, newest first, paged with lastMessageId.',
    method: 'GET',
    url: '/conversations/:conversationId/messages',
    version: CONVERSATIONS,
  },
  {
    name: 'conversations_send-a-new-message',
    description:
      'Send a message to a contact: SMS, Email (html, subject), WhatsApp, IG, FB, Custom or Live_Chat; or schedule it.',
    method: 'POST',
    url: '/conversations/messages',
    version: CONVERSATIONS,
  },
  {
    name: 'locations_get-location',
    description: 'Fetch the location (sub-account) record.',
    method: 'GET',
    url: '/locations/:locationId',
    version: CONTACTS,
  },
  {
    name: 'sandbox_simulate-inbound-message',
    description:
      'Sandbox only: make a contact send a message to the location (SMS, Email, WhatsApp, …), as a provider reports one, so an agent can be tested on the reply.',
    method: 'POST',
    url: '/conversations/messages/inbound',
    version: CONVERSATIONS,
    sandbox: true,
  },
];

const PLACES: [ArgumentPlace, keyof FastifySchema][] = [
  ['path', 'params'],
  ['query', 'querystring'],
  ['body', 'body'],
];

/** A tool from its binding and the route serving it: the route's schema, prefixed as HighLevel prefixes arguments. */
export function toolFor(binding: ToolBinding, route: Route): Tool {
  if (route.access.kind !== 'location') throw new Error(`${binding.name}: ${route.url} is not a location route`);
  const properties: Record<string, Json> = {};
  const required: string[] = [];
  const places: Tool['places'] = new Map();
  let locationArgument: string | null = null;
  for (const [place, part] of PLACES) {
    const schema = (route.schema?.[part] ?? undefined) as Json | undefined;
    const fields = (schema?.properties ?? {}) as Record<string, Json>;
    const needed = new Set((schema?.required as string[] | undefined) ?? []);
    for (const [name, fieldSchema] of Object.entries(fields)) {
      const argument = `${place}_${name}`;
      properties[argument] = fieldSchema;
      places.set(argument, { place, name });
      if (name === 'locationId') locationArgument = argument;
      // The location may come from the locationId header instead (HighLevel's MCP documents it optional).
      else if (needed.has(name)) required.push(argument);
    }
  }
  return {
    ...binding,
    scope: route.access.scope,
    inputSchema: { type: 'object', properties, required, additionalProperties: false },
    places,
    locationArgument,
  };
}

/** Every tool, each bound to its route in the one route list (a binding without a route is a programming error). */
export function buildTools(routes: Route[]): Tool[] {
  return TOOL_BINDINGS.map((binding) => {
    const route = routes.find((r) => r.method === binding.method && r.url === binding.url);
    if (!route) throw new Error(`MCP tool ${binding.name}: no route ${binding.method} ${binding.url}`);
    return toolFor(binding, route);
  });
}
