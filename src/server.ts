// Boots a server: open the store, migrate, bootstrap an empty database, listen.
import { type App, createApp } from './app.js';
import { type BootstrapReport, bootstrap } from './bootstrap.js';
import type { Config } from './config.js';
import type { Clock } from './domain/clock.js';
import { openStore, type Store } from './store/database.js';
import { migrateToLatest } from './store/migrator.js';

export interface RunningServer extends App {
  store: Store;
  url: string;
  bootstrap: BootstrapReport;
  close(): Promise<void>;
}

export async function startServer(
  config: Config,
  options: { clock?: Clock; store?: Store } = {},
): Promise<RunningServer> {
  const store = options.store ?? openStore(config.database);
  try {
    await migrateToLatest(store.db, store.engine);
    const app = createApp({ config, store, ...(options.clock ? { clock: options.clock } : {}) });
    const report = await bootstrap(config, store, app.services);
    const address = await app.server.listen({ host: config.host, port: config.port });
    return {
      ...app,
      store,
      url: address,
      bootstrap: report,
      close: async () => {
        await app.server.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
