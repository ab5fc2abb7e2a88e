// The sandbox's own tool beyond HighLevel's: read what the location "sent" (the dev outbox), so an agent's test can
// check what reached the contact. It calls the dev outbox use case the admin API calls, for the caller's location.
import { randomUUID } from 'node:crypto';
import { isCompanyContext } from '../domain/credentials.js';
import type { DevOutboxService } from '../domain/dev-outbox.js';
import type { Scope } from '../domain/scopes.js';
import { invalidToken } from '../http/pipeline.js';
import { presentOutboxRecord } from '../presenters/outbox.js';
import { OUTBOX_DEFAULT_LIMIT, OUTBOX_MAX_LIMIT } from '../routes/admin/outbox.js';
import { type Caller, refusal, type ToolAnswer } from './call.js';

export const OUTBOX_TOOL = {
  name: 'sandbox_get-outbox',
  description:
    'Sandbox only: the messages the location sent (SMS, email, …) as the dev outbox recorded them, oldest first; page with query_after.',
  scope: 'conversations/message.readonly' as Scope,
  inputSchema: {
    type: 'object' as const,
    properties: {
      query_limit: { type: 'integer', minimum: 1, maximum: OUTBOX_MAX_LIMIT, default: OUTBOX_DEFAULT_LIMIT },
      query_after: { type: 'string', minLength: 1, maxLength: 64 },
    },
    additionalProperties: false,
  },
};

export async function readOutbox(
  outbox: DevOutboxService,
  args: Record<string, unknown>,
  caller: Caller,
): Promise<ToolAnswer> {
  const credential = caller.credential;
  if (!credential) {
    const error = invalidToken(caller.token);
    return refusal(error.code, error.messages);
  }
  if (isCompanyContext(credential)) {
    return refusal('AUTH_CLASS_FORBIDDEN', 'This authClass type is not allowed to access this scope.');
  }
  if (!credential.scopes.has(OUTBOX_TOOL.scope)) {
    return refusal(
      'SCOPE_MISSING',
      `The token is not authorized for this scope: ${OUTBOX_TOOL.name} needs ${OUTBOX_TOOL.scope}.`,
    );
  }
  if (caller.locationId && caller.locationId !== credential.locationId) {
    return refusal('LOCATION_FORBIDDEN', 'The token does not have access to this location.');
  }
  const unknown = Object.keys(args).filter((name) => !(name in OUTBOX_TOOL.inputSchema.properties));
  const limit = args.query_limit ?? OUTBOX_DEFAULT_LIMIT;
  const after = args.query_after;
  const problems = [
    ...unknown.map((name) => `${name} is not an argument of ${OUTBOX_TOOL.name} (it takes: query_limit, query_after)`),
    ...(Number.isInteger(limit) && (limit as number) >= 1 && (limit as number) <= OUTBOX_MAX_LIMIT
      ? []
      : [`query_limit must be an integer from 1 to ${OUTBOX_MAX_LIMIT}`]),
    ...(after === undefined || (typeof after === 'string' && after !== '') ? [] : ['query_after must be an id']),
  ];
  if (problems.length > 0) return refusal('VALIDATION_FAILED', problems);
  const page = await outbox.list(credential.locationId, {
    limit: limit as number,
    ...(typeof after === 'string' ? { after } : {}),
  });
  return {
    success: true,
    status: 200,
    // The admin API's answer, with the traceId every answer carries (as a tool's REST answer does).
    data: { outbox: page.rows.map(presentOutboxRecord), nextAfter: page.nextAfter, traceId: randomUUID() },
  };
}
