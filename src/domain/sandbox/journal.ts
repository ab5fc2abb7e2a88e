// Reading the journal of a location's API calls, newest first: what a CI job looks at when a test fails.
import type { JournalRecorder } from '../../journal/recorder.js';
import type { Store } from '../../store/database.js';
import { findLocation } from '../../store/repositories/locations.js';
import { type JournalRow, journalEntryExists, listJournal } from '../../store/repositories/request-journal.js';
import { DomainError, notFound } from '../errors.js';
import { routeTemplate } from './route-template.js';

export interface JournalQuery {
  limit: number;
  after?: string;
  method?: string;
  route?: string;
  /** `404`, or a class: `4xx`. */
  status?: string;
}

function statusRange(status: string): [number, number] {
  const match = /^([1-5])(\d\d|xx)$/i.exec(status);
  if (!match) throw new DomainError('VALIDATION_FAILED', ['status must be a status code (404) or a class (4xx)']);
  if (match[2]?.toLowerCase() === 'xx') return [Number(match[1]) * 100, Number(match[1]) * 100 + 99];
  return [Number(status), Number(status)];
}

const unknownAfter = () =>
  new DomainError('VALIDATION_FAILED', ['after must be the id of a recorded request (a nextAfter)']);

/** A journal entry's id is its sequence number (migration 0025), shown as a string. */
export function journalEntryId(row: JournalRow): string {
  return String(row.seq);
}

function entrySeq(id: string): number {
  if (!/^[1-9]\d{0,15}$/.test(id)) throw unknownAfter();
  return Number(id);
}

export class RequestJournal {
  constructor(private readonly deps: { store: Store; recorder: JournalRecorder }) {}

  /** Written batches only: the calls still waiting in memory are written first, so the answer includes them. */
  async list(locationId: string, query: JournalQuery): Promise<{ rows: JournalRow[]; nextAfter: string | null }> {
    const { store, recorder } = this.deps;
    if (!(await findLocation(store.db, locationId))) throw notFound('Location');
    await recorder.flush();
    const after = query.after === undefined ? undefined : entrySeq(query.after);
    if (after !== undefined && !(await journalEntryExists(store.db, locationId, after))) throw unknownAfter();
    const rows = await listJournal(store.db, locationId, {
      limit: query.limit + 1,
      kept: recorder.maxRows,
      ...(after !== undefined ? { after } : {}),
      ...(query.method ? { method: query.method.toUpperCase() } : {}),
      ...(query.route ? { route: routeTemplate(query.route) } : {}),
      ...(query.status ? { status: statusRange(query.status) } : {}),
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return { rows: page, nextAfter: rows.length > query.limit && last ? journalEntryId(last) : null };
  }

  /** Everything recorded so far is written (a reset flushes first, so nothing of the location lands after it). */
  flush(): Promise<void> {
    return this.deps.recorder.flush();
  }
}
