// An MCP client over HTTP, the SDK's own, configured as HighLevel documents an agent's: the /mcp/ URL with an
// Authorization bearer token and (optionally) a locationId header. Tool answers are checked against the spec.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect } from 'vitest';
import type { SpecName } from '../../src/http/openapi.js';
import { specErrors } from './spec-validator.js';

export interface ToolAnswer {
  success: boolean;
  status: number;
  data: any;
}

export async function mcpClient(baseUrl: string, headers: Record<string, string>, path = '/mcp/'): Promise<Client> {
  const client = new Client({ name: 'switchboard-test-agent', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(path, baseUrl), { requestInit: { headers } }));
  return client;
}

/** The spec operation a HighLevel tool name stands for: `contacts_get-contact` is contacts' get-contact. */
export function operationOf(tool: string): `${SpecName}:${string}` {
  if (tool === 'sandbox_simulate-inbound-message') return 'conversations:add-an-inbound-message';
  // The dev outbox as the admin API lists it.
  if (tool === 'sandbox_get-outbox') return 'admin:list-outbox';
  const [api, operationId] = tool.split('_') as [string, string];
  return `${api as SpecName}:${operationId}`;
}

/**
 * Calls a tool and answers its envelope, after checking the result's shape: one JSON text block equal to the
 * structured content, isError exactly when the REST status is an error, and the REST body valid for its status.
 */
export async function callTool(client: Client, name: string, args: Record<string, unknown>): Promise<ToolAnswer> {
  const result = await client.callTool({ name, arguments: args });
  const content = result.content as { type: string; text: string }[];
  expect(content).toHaveLength(1);
  expect(content[0]?.type).toBe('text');
  const answer = JSON.parse(content[0]?.text ?? '') as ToolAnswer;
  expect(result.structuredContent).toEqual(answer);
  expect(Boolean(result.isError), JSON.stringify(answer)).toBe(answer.status >= 400);
  expect(answer.success).toBe(answer.status < 400);
  const [spec, operationId] = operationOf(name).split(':') as [SpecName, string];
  expect(specErrors(spec, operationId, answer.status, answer.data), `${name} ${answer.status}`).toEqual([]);
  return answer;
}
