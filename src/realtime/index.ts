// Chooses the event bus adapter, in one place: PostgreSQL's LISTEN/NOTIFY when servers share a PostgreSQL
// database (REALTIME_BUS=auto or postgres), else this process only.
import type { Config } from '../config.js';
import type { Store } from '../store/database.js';
import { type EventBus, InProcessBus } from './bus.js';
import { channelFor, PostgresBus } from './postgres-bus.js';

export function createEventBus(config: Config, store: Store): EventBus {
  const { bus } = config.realtime;
  if (bus === 'memory') return new InProcessBus();
  if (config.database.engine !== 'postgres') {
    if (bus === 'postgres') throw new Error('REALTIME_BUS=postgres needs a postgres:// DATABASE_URL');
    return new InProcessBus();
  }
  return new PostgresBus({ url: config.database.url, channel: channelFor(config.database.schema) }, store.db);
}
