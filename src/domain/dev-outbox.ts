// Reading the dev outbox: what Switchboard would have sent for a location, oldest first, keyset-paged.
import type { Store } from '../store/database.js';
import { findOutboxRow, listOutbox, type OutboxRow } from '../store/repositories/dev-outbox.js';
import { findLocation } from '../store/repositories/locations.js';
import { DomainError, notFound } from './errors.js';

export interface OutboxPage {
  rows: OutboxRow[];
  /** The id to pass as `after` for the next page, or null on the last page. */
  nextAfter: string | null;
}

export class DevOutboxService {
  constructor(private readonly store: Store) {}

  /** `after` is the id of the last record of the previous page. */
  async list(locationId: string, page: { limit: number; after?: string }): Promise<OutboxPage> {
    const { db } = this.store;
    if (!(await findLocation(db, locationId))) throw notFound('Location');
    let cursor: { createdAt: number; id: string } | undefined;
    if (page.after !== undefined) {
      const last = await findOutboxRow(db, locationId, page.after);
      if (!last)
        throw new DomainError('VALIDATION_FAILED', ['after must be the id of an outbox record of this location']);
      cursor = { createdAt: last.created_at, id: last.id };
    }
    // One extra row tells whether another page exists.
    const rows = await listOutbox(db, locationId, { ...(cursor ? { after: cursor } : {}), limit: page.limit + 1 });
    const more = rows.length > page.limit;
    const shown = rows.slice(0, page.limit);
    return { rows: shown, nextAfter: more ? (shown.at(-1)?.id ?? null) : null };
  }
}
