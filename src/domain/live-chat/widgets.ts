// Live chat widgets: what a location embeds on its sites. The id is public (it is in the embed code); it finds
// the location for the visitor API, which knows nothing else.
import type { Store } from '../../store/database.js';
import {
  findLocationWidget,
  findWidget,
  insertWidget,
  listWidgets,
  type WidgetRow,
} from '../../store/repositories/live-chat.js';
import { findLocation } from '../../store/repositories/locations.js';
import type { Clock } from '../clock.js';
import { notFound } from '../errors.js';
import { newId } from '../ids.js';

export interface WidgetInput {
  name?: string;
  title?: string;
  greeting?: string | null;
  color?: string;
}

export const DEFAULT_WIDGET_COLOR = '#155eef';

export class WidgetService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async create(locationId: string, input: WidgetInput): Promise<WidgetRow> {
    if (!(await findLocation(this.store.db, locationId))) throw notFound('Location');
    const now = this.clock.now();
    const row: WidgetRow = {
      id: newId(),
      location_id: locationId,
      name: input.name ?? 'Live chat',
      title: input.title ?? 'Chat with us',
      greeting: input.greeting ?? null,
      color: input.color ?? DEFAULT_WIDGET_COLOR,
      date_added: now,
      date_updated: now,
    };
    await this.store.unit(({ db }) => insertWidget(db, row));
    return row;
  }

  async list(locationId: string): Promise<WidgetRow[]> {
    if (!(await findLocation(this.store.db, locationId))) throw notFound('Location');
    return listWidgets(this.store.db, locationId);
  }

  async get(locationId: string, id: string): Promise<WidgetRow> {
    const row = await findLocationWidget(this.store.db, locationId, id);
    if (!row) throw notFound('Widget');
    return row;
  }

  /** The widget a visitor names, whatever its location. */
  async find(id: string): Promise<WidgetRow> {
    const row = await findWidget(this.store.db, id);
    if (!row) throw notFound('Widget');
    return row;
  }
}
