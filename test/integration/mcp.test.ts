// HighLevel's MCP server, driven by the MCP SDK's own client over HTTP: the tool list and its argument naming, every
// tool with good and bad arguments (answers validated against the REST response schemas), scope refusals, another
// location's ids, a missing token, the locationId header, the sandbox tools, and the transport's edges.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../../src/domain/scopes.js';
import { ADMIN_HEADER } from '../../src/mcp/server.js';
import { ENGINES } from '../helpers/engines.js';
import {
  createContact,
  createConversation,
  createLocation,
  issueToken,
  type TestLocation,
} from '../helpers/factories.js';
import { ADMIN_TOKEN, type Harness, startHarness } from '../helpers/harness.js';
import { callTool, mcpClient } from '../helpers/mcp.js';
import { uniquePhone } from '../helpers/messages.js';
import { createOAuthApp, installOnLocation } from '../helpers/oauth.js';

/** HighLevel's published tools that Switchboard serves, by their exact names. */
const HIGHLEVEL_TOOLS = [
  'contacts_add-tags',
  'contacts_remove-tags',
  'contacts_get-contact',
  'contacts_update-contact',
  'contacts_upsert-contact',
  'contacts_create-contact',
  'contacts_get-contacts',
  'conversations_search-conversation',
  'conversations_get-messages',
  'conversations_send-a-new-message',
  'locations_get-location',
];

describe.each(ENGINES)('MCP server on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  let other: TestLocation;
  let agent: Client;
  const clients: Client[] = [];

  const connect = async (headers: Record<string, string>, path = '/mcp/') => {
    const client = await mcpClient(harness.baseUrl, headers, path);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    harness = await startHarness(engine);
    location = await createLocation(harness);
    other = await createLocation(harness);
    agent = await connect({ authorization: `Bearer ${location.token}`, locationId: location.locationId });
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await harness?.close();
  });

  it('lists HighLevel’s tools by their names, arguments prefixed path_, query_ and body_ as HighLevel’s are', async () => {
    const { tools } = await agent.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(HIGHLEVEL_TOOLS);
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect(byName.get('contacts_get-contact')?.inputSchema).toMatchObject({
      properties: { path_contactId: { type: 'string' } },
      required: ['path_contactId'],
    });
    const getContacts = byName.get('contacts_get-contacts')?.inputSchema.properties ?? {};
    expect(Object.keys(getContacts).sort()).toEqual(
      ['query_limit', 'query_locationId', 'query_query', 'query_startAfter', 'query_startAfterId'].sort(),
    );
    const send = byName.get('conversations_send-a-new-message')?.inputSchema;
    expect(send?.required).toEqual(expect.arrayContaining(['body_type']));
    expect(Object.keys(send?.properties ?? {})).toEqual(
      expect.arrayContaining([
        'body_type',
        'body_contactId',
        'body_message',
        'body_html',
        'body_subject',
        'body_attachments',
      ]),
    );
    for (const tool of tools) {
      for (const argument of Object.keys(tool.inputSchema.properties ?? {})) {
        expect(argument, tool.name).toMatch(/^(path|query|body)_\w+$/);
      }
    }
  });

  it('answers each tool with the REST answer in HighLevel’s envelope, valid against the REST schema', async () => {
    const phone = uniquePhone();
    const created = await callTool(agent, 'contacts_create-contact', {
      body_firstName: 'Mcp',
      body_lastName: 'Agent',
      body_phone: phone,
      body_email: `mcp-${phone.slice(2)}@example.com`,
    });
    expect(created).toMatchObject({
      success: true,
      status: 201,
      data: { contact: { locationId: location.locationId } },
    });
    const contactId = created.data.contact.id as string;

    expect((await callTool(agent, 'contacts_get-contact', { path_contactId: contactId })).data.contact.phone).toBe(
      phone,
    );
    const found = await callTool(agent, 'contacts_get-contacts', { query_query: phone, query_limit: 5 });
    expect(found.data.contacts.map((c: { id: string }) => c.id)).toEqual([contactId]);
    const updated = await callTool(agent, 'contacts_update-contact', {
      path_contactId: contactId,
      body_city: 'Lima',
    });
    expect(updated.data.contact.city).toBe('Lima');
    const upserted = await callTool(agent, 'contacts_upsert-contact', {
      body_phone: phone,
      body_companyName: 'Agents',
    });
    expect(upserted.data).toMatchObject({ new: false, contact: { id: contactId, companyName: 'Agents' } });
    const tagged = await callTool(agent, 'contacts_add-tags', { path_contactId: contactId, body_tags: ['ai', 'lead'] });
    expect(tagged).toMatchObject({ status: 201, data: { tags: ['ai', 'lead'] } });
    const untagged = await callTool(agent, 'contacts_remove-tags', { path_contactId: contactId, body_tags: ['lead'] });
    expect(untagged.data.tags).toEqual(['ai']);

    const sent = await callTool(agent, 'conversations_send-a-new-message', {
      body_type: 'SMS',
      body_contactId: contactId,
      body_message: 'Hello from the agent',
    });
    expect(sent).toMatchObject({ success: true, status: 200, data: { conversationId: expect.any(String) } });
    const searched = await callTool(agent, 'conversations_search-conversation', { query_contactId: contactId });
    expect(searched.data.conversations.map((c: { id: string }) => c.id)).toEqual([sent.data.conversationId]);
    const messages = await callTool(agent, 'conversations_get-messages', {
      path_conversationId: sent.data.conversationId,
      query_limit: 10,
    });
    expect(messages.data.messages.messages.map((m: { body: string }) => m.body)).toEqual(['Hello from the agent']);
    const record = await callTool(agent, 'locations_get-location', {});
    expect(record.data.location.id).toBe(location.locationId);
  });

  it('answers bad arguments as the REST operation does, a tool error naming the argument', async () => {
    const contact = await createContact(location);
    const cases: [string, Record<string, unknown>, number, RegExp][] = [
      ['contacts_get-contact', { contactId: contact.id }, 422, /contactId is not an argument.*path_contactId/],
      ['contacts_get-contact', {}, 422, /path_contactId is required/],
      ['contacts_get-contact', { path_contactId: 'does-not-exist' }, 400, /./],
      ['contacts_get-contacts', { query_limit: 1000 }, 422, /limit/],
      ['contacts_create-contact', { body_email: 'not-an-email' }, 422, /email/],
      ['contacts_update-contact', { path_contactId: contact.id, body_dnd: 'maybe' }, 422, /dnd/],
      ['contacts_upsert-contact', { body_phone: '12' }, 422, /phone/],
      ['contacts_add-tags', { path_contactId: contact.id, body_tags: [] }, 422, /tags/],
      ['contacts_remove-tags', { path_contactId: contact.id }, 422, /tags/],
      ['conversations_search-conversation', { query_status: 'sleeping' }, 422, /status/],
      ['conversations_get-messages', { path_conversationId: 'nope' }, 400, /./],
      ['conversations_send-a-new-message', { body_type: 'Pigeon', body_contactId: contact.id }, 422, /type/],
      [
        'conversations_send-a-new-message',
        { body_type: 'SMS', body_contactId: contact.id, body_message: 'x', body_attachments: ['/tmp/a.png'] },
        422,
        /attachments\[0\] must be an absolute http or https URL/,
      ],
    ];
    for (const [tool, args, status, message] of cases) {
      const answer = await callTool(agent, tool, args);
      const label = `${tool} ${JSON.stringify(args)} → ${JSON.stringify(answer.data)}`;
      if (status === 400) expect(answer.status, label).toBeGreaterThanOrEqual(400);
      else expect(answer.status, label).toBe(status);
      expect(answer.success).toBe(false);
      expect(JSON.stringify(answer.data.message), label).toMatch(message);
    }
  });

  it('refuses a tool the token has no scope for, as a tool error naming the missing scope', async () => {
    const readOnly = await issueToken(harness, location.locationId, ['contacts.readonly']);
    const narrow = await connect({ authorization: `Bearer ${readOnly}` });
    const contact = await createContact(location);
    expect((await callTool(narrow, 'contacts_get-contact', { path_contactId: contact.id })).status).toBe(200);
    const refused = await callTool(narrow, 'contacts_add-tags', { path_contactId: contact.id, body_tags: ['x'] });
    expect(refused).toMatchObject({ success: false, status: 401 });
    expect(refused.data.message).toBe(
      'The token is not authorized for this scope: contacts_add-tags needs contacts.write.',
    );
    const location403 = await callTool(narrow, 'locations_get-location', {});
    expect(location403.data.message).toMatch(/locations_get-location needs locations\.readonly/);
    // Nothing was written.
    expect((await callTool(narrow, 'contacts_get-contact', { path_contactId: contact.id })).data.contact.tags).toEqual(
      [],
    );
  });

  it('keeps another location’s ids and location out: the same 404 and 403 as the REST API', async () => {
    const theirs = await createContact(other);
    const theirConversation = await createConversation(other, theirs.id);
    // Exactly what the REST API answers the same token for the same ids.
    const restContact = await location.api.get('contacts:get-contact', `/contacts/${theirs.id}`);
    const contact = await callTool(agent, 'contacts_get-contact', { path_contactId: theirs.id });
    expect(restContact.status).toBe(404);
    expect(contact).toMatchObject({ success: false, status: 404, data: { message: restContact.body.message } });
    const restMessages = await location.api.get(
      'conversations:get-messages',
      `/conversations/${theirConversation.id}/messages`,
    );
    const messages = await callTool(agent, 'conversations_get-messages', { path_conversationId: theirConversation.id });
    expect(restMessages.status).toBeGreaterThanOrEqual(400);
    expect(messages).toMatchObject({
      success: false,
      status: restMessages.status,
      data: { message: restMessages.body.message },
    });
    const tagged = await callTool(agent, 'contacts_add-tags', { path_contactId: theirs.id, body_tags: ['x'] });
    expect(tagged.status).toBe(404);
    const named = await callTool(agent, 'contacts_get-contacts', { query_locationId: other.locationId });
    expect(named).toMatchObject({ status: 403, data: { message: 'The token does not have access to this location.' } });
    const record = await callTool(agent, 'locations_get-location', { path_locationId: other.locationId });
    expect(record.status).toBe(403);
    // A locationId header naming another location: refused for tools that name no location themselves too.
    const misdirected = await connect({ authorization: `Bearer ${location.token}`, locationId: other.locationId });
    expect((await callTool(misdirected, 'contacts_get-contacts', {})).status).toBe(403);
    const own = await createContact(location);
    expect((await callTool(misdirected, 'contacts_get-contact', { path_contactId: own.id })).status).toBe(403);
  });

  it('lists tools without a token, and answers a call without one (or with a dead one) with a 401 tool error', async () => {
    const anonymous = await connect({});
    expect((await anonymous.listTools()).tools.length).toBe(HIGHLEVEL_TOOLS.length);
    const answer = await callTool(anonymous, 'contacts_get-contacts', { query_locationId: location.locationId });
    expect(answer).toMatchObject({ success: false, status: 401, data: { message: 'Invalid JWT' } });
    const dead = await connect({ authorization: 'Bearer pit-00000000-0000-4000-8000-000000000000' });
    const deadAnswer = await callTool(dead, 'locations_get-location', { path_locationId: location.locationId });
    expect(deadAnswer).toMatchObject({ status: 401, data: { message: 'Invalid Private Integration token' } });
    await expect(anonymous.callTool({ name: 'contacts_delete-contact', arguments: {} })).rejects.toThrow(
      /Unknown tool/,
    );
  });

  it('authenticates an OAuth access token as the REST API does, its granted scopes deciding the tools', async () => {
    const app = await createOAuthApp(harness);
    const tokens = await installOnLocation(harness, app, location.locationId, ['contacts.readonly']);
    const oauth = await connect({ authorization: `Bearer ${tokens.access_token}`, locationId: location.locationId });
    const contact = await createContact(location);
    const read = await callTool(oauth, 'contacts_get-contact', { path_contactId: contact.id });
    expect(read).toMatchObject({ success: true, status: 200, data: { contact: { id: contact.id } } });
    const refused = await callTool(oauth, 'locations_get-location', {});
    expect(refused).toMatchObject({
      success: false,
      status: 401,
      data: { message: 'The token is not authorized for this scope: locations_get-location needs locations.readonly.' },
    });
    const foreign = await connect({ authorization: `Bearer ${tokens.access_token}`, locationId: other.locationId });
    expect((await callTool(foreign, 'contacts_get-contacts', {})).status).toBe(403);
  });

  it('takes the location from the locationId header, else from the token, and /mcp without the slash', async () => {
    const bare = await connect({ authorization: `Bearer ${location.token}` }, '/mcp');
    const fromToken = await callTool(bare, 'locations_get-location', {});
    expect(fromToken.data.location.id).toBe(location.locationId);
    const fromArgs = await callTool(bare, 'contacts_get-contacts', { query_locationId: location.locationId });
    expect(fromArgs.status).toBe(200);
  });

  it('keeps the sandbox tools to the admin token, and plays an agent’s conversation end to end with them', async () => {
    expect((await agent.listTools()).tools.map((t) => t.name)).not.toContain('sandbox_get-outbox');
    await expect(agent.callTool({ name: 'sandbox_get-outbox', arguments: {} })).rejects.toThrow(/Unknown tool/);
    const sandbox = await connect({
      authorization: `Bearer ${location.token}`,
      locationId: location.locationId,
      [ADMIN_HEADER]: ADMIN_TOKEN,
    });
    const names = (await sandbox.listTools()).tools.map((t) => t.name);
    expect(names).toEqual([...HIGHLEVEL_TOOLS, 'sandbox_simulate-inbound-message', 'sandbox_get-outbox']);
    const wrongAdmin = await connect({ authorization: `Bearer ${location.token}`, [ADMIN_HEADER]: 'not-the-token' });
    expect((await wrongAdmin.listTools()).tools.map((t) => t.name)).toEqual(HIGHLEVEL_TOOLS);

    const contact = await createContact(location, { phone: uniquePhone() });
    const conversation = await createConversation(location, contact.id);
    const inbound = await callTool(sandbox, 'sandbox_simulate-inbound-message', {
      body_type: 'SMS',
      body_conversationId: conversation.id,
      body_message: 'Do you open on Sundays?',
    });
    expect(inbound).toMatchObject({ success: true, status: 200 });
    const unread = await callTool(sandbox, 'conversations_search-conversation', { query_status: 'unread' });
    expect(unread.data.conversations.map((c: { id: string }) => c.id)).toContain(conversation.id);
    await callTool(sandbox, 'conversations_send-a-new-message', {
      body_type: 'SMS',
      body_contactId: contact.id,
      body_message: 'Yes, from 10 to 4.',
    });
    // The dev outbox records a message when its delivery job runs, just after the send commits.
    await expect
      .poll(async () => {
        const outbox = await callTool(sandbox, 'sandbox_get-outbox', { query_limit: 100 });
        return outbox.data.outbox.map((record: { payload: { body?: string } }) => record.payload.body);
      })
      .toContain('Yes, from 10 to 4.');
    const badLimit = await callTool(sandbox, 'sandbox_get-outbox', { query_limit: 0, limit: 3 });
    expect(badLimit.status).toBe(422);
    expect(badLimit.data.message).toHaveLength(2);
    const readOnly = await issueToken(
      harness,
      location.locationId,
      SCOPES.filter((scope) => scope !== 'conversations/message.readonly'),
    );
    const blind = await connect({ authorization: `Bearer ${readOnly}`, [ADMIN_HEADER]: ADMIN_TOKEN });
    const refused = await callTool(blind, 'sandbox_get-outbox', {});
    expect(refused.data.message).toMatch(/sandbox_get-outbox needs conversations\/message\.readonly/);
  });

  it('answers GET and DELETE on /mcp/ with 405, as a stateless server without sessions', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(`${harness.baseUrl}/mcp/`, { method, headers: { accept: 'text/event-stream' } });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
  });
});

describe('MCP sandbox tools for every caller (MCP_SANDBOX_TOOLS=on)', () => {
  it('lists them without the admin token', async () => {
    const harness = await startHarness('sqlite', { env: { MCP_SANDBOX_TOOLS: 'on' } });
    try {
      const location = await createLocation(harness);
      const client = await mcpClient(harness.baseUrl, { authorization: `Bearer ${location.token}` });
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('sandbox_simulate-inbound-message');
      expect(names).toContain('sandbox_get-outbox');
      await client.close();
    } finally {
      await harness.close();
    }
  });
});
