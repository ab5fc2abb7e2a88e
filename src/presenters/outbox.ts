// Dev outbox rows → the admin API's (and the MCP sandbox tool's) wire shape.
import type { OutboxRow } from '../store/repositories/dev-outbox.js';

export function presentOutboxRecord(row: OutboxRow) {
  return {
    id: row.id,
    messageId: row.message_id,
    emailId: row.email_id,
    channel: row.channel,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    dateAdded: new Date(row.created_at).toISOString(),
  };
}
