// A recorded API call as the journal shows it. Bodies come back as JSON when what was kept parses, else as text.
import { journalEntryId } from '../domain/sandbox/journal.js';
import type { JournalRow } from '../store/repositories/request-journal.js';

function bodyOf(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function presentJournalEntry(row: JournalRow) {
  return {
    id: journalEntryId(row),
    method: row.method,
    path: row.path,
    route: row.route,
    query: JSON.parse(row.query) as Record<string, unknown>,
    status: row.status,
    durationMs: row.duration_ms,
    tokenId: row.token_id,
    appId: row.app_id,
    traceId: row.trace_id,
    requestBody: bodyOf(row.request_body),
    responseBody: bodyOf(row.response_body),
    dateAdded: new Date(row.created_at).toISOString(),
  };
}
