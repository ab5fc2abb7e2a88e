// A recorded API call as the journal stores it, for tests that write the journal directly.
import type { NewJournalRow } from '../../src/store/repositories/request-journal.js';

export function journalRow(locationId: string, traceId: string): NewJournalRow {
  return {
    location_id: locationId,
    method: 'GET',
    path: '/conversations/search',
    route: '/conversations/search',
    query: '{}',
    status: 200,
    duration_ms: 1,
    token_id: null,
    app_id: null,
    trace_id: traceId,
    request_body: null,
    response_body: null,
    created_at: Date.now(),
  };
}
