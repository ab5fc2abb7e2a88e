// The MCP server on the official SDK: stateless Streamable HTTP, as HighLevel's (no session id; every request
// stands alone), so each HTTP request gets its own SDK server and transport. Listing tools needs no token; a call
// authenticates as the REST API does, and any refusal is a tool error (isError) carrying the REST status and body.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService } from '../domain/auth.js';
import type { DevOutboxService } from '../domain/dev-outbox.js';
import { DomainError } from '../domain/errors.js';
import { type Caller, callTool, refusal, type ToolAnswer } from './call.js';
import { OUTBOX_TOOL, readOutbox } from './sandbox.js';
import type { Tool } from './tools.js';

export const MCP_SERVER_NAME = 'switchboard-highlevel-mcp';
/** The operator's admin token, sent beside the location's bearer token, opens the sandbox tools to that request. */
export const ADMIN_HEADER = 'x-switchboard-admin-token';

export interface McpDeps {
  tools: Tool[];
  auth: AuthService;
  outbox: DevOutboxService;
  version: string;
  /** MCP_SANDBOX_TOOLS=on: every caller gets the sandbox tools. */
  sandboxForAll: boolean;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function bearer(authorization: string | undefined): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? null;
}

/** The tool result: HighLevel's envelope as JSON text, and as structured content for clients that read it. */
function result(answer: ToolAnswer): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(answer) }],
    structuredContent: answer as unknown as Record<string, unknown>,
    isError: !answer.success,
  };
}

async function callerOf(request: FastifyRequest, auth: AuthService): Promise<Caller> {
  const authorization = header(request, 'authorization');
  const token = bearer(authorization);
  return {
    authorization,
    token,
    locationId: header(request, 'locationid'),
    credential: token ? await auth.authenticate(token) : null,
  };
}

/** Whether this request sees the sandbox tools: MCP_SANDBOX_TOOLS=on, or the operator's admin token alongside. */
async function sandboxFor(request: FastifyRequest, deps: McpDeps): Promise<boolean> {
  if (deps.sandboxForAll) return true;
  return deps.auth.isAdminToken(header(request, ADMIN_HEADER) ?? null);
}

function mcpServer(request: FastifyRequest, deps: McpDeps, sandbox: boolean): Server {
  const server = new Server({ name: MCP_SERVER_NAME, version: deps.version }, { capabilities: { tools: {} } });
  const tools = deps.tools.filter((tool) => sandbox || !tool.sandbox);
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [
      ...tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema })),
      ...(sandbox
        ? [OUTBOX_TOOL].map(({ name, description, inputSchema }) => ({ name, description, inputSchema }))
        : []),
    ],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (call) => {
    const args = (call.params.arguments ?? {}) as Record<string, unknown>;
    const tool = tools.find((candidate) => candidate.name === call.params.name);
    const isOutbox = sandbox && call.params.name === OUTBOX_TOOL.name;
    if (!tool && !isOutbox) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${call.params.name}`);
    const caller = await callerOf(request, deps.auth);
    try {
      return result(
        tool ? await callTool(request.server, tool, args, caller) : await readOutbox(deps.outbox, args, caller),
      );
    } catch (error) {
      if (error instanceof DomainError) return result(refusal(error.code, error.messages));
      throw error;
    }
  });
  return server;
}

/** Serves one MCP HTTP request (POST: JSON-RPC in, a JSON-RPC answer out as an SSE stream, as HighLevel answers). */
export async function serveMcp(request: FastifyRequest, reply: FastifyReply, deps: McpDeps): Promise<void> {
  const server = mcpServer(request, deps, await sandboxFor(request, deps));
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  reply.hijack();
  reply.raw.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(request.raw, reply.raw, request.body);
}
