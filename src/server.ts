// Boots a server: open the store, migrate, bootstrap an empty database, listen.

import type { AddressInfo } from 'node:net';
import { type App, createApp } from './app.js';
import { type BootstrapReport, bootstrap } from './bootstrap.js';
import { type Config, defaultPublicUrl } from './config.js';
import type { Clock } from './domain/clock.js';
import type { LogStream } from './http/logging.js';
import { type InboundSmtpListener, startSmtpListener } from './mail/smtp-listener.js';
import { openStore, type Store, type StoreOptions } from './store/database.js';
import { migrateToLatest } from './store/migrator.js';

export interface RunningServer extends App {
  store: Store;
  url: string;
  bootstrap: BootstrapReport;
  /** The inbound SMTP listener, when SMTP_LISTEN_PORT is set. */
  inboundSmtp: InboundSmtpListener | null;
  close(): Promise<void>;
}

/** Exit status after a failed fsync: the process stops so that recovery, on restart, reads what the disk holds. */
export const EXIT_DISK_FAILED = 70;

const FSYNC_FAILED =
  'fsync of the database WAL failed: stopping now, committing nothing more (crash-only, as PostgreSQL does); ' +
  'writes not yet acknowledged may be lost, acknowledged ones are on disk; restart to recover';

export async function startServer(
  config: Config,
  options: {
    clock?: Clock;
    store?: Store;
    /** For a store this opens: how group commit syncs the WAL (fault tests fail it). */
    storeOptions?: Pick<StoreOptions, 'syncFile'>;
    /** Where log lines go instead of stdout (tests read them). */
    logStream?: LogStream;
  } = {},
): Promise<RunningServer> {
  // Until the app's logger exists.
  let checkpointFailed = (message: string) => console.error(`background checkpoint failed: ${message}`);
  let diskFailed = (error: unknown) => console.error(FSYNC_FAILED, error);
  const store =
    options.store ??
    openStore(config.database, {
      ...options.storeOptions,
      onCheckpointError: (message) => checkpointFailed(message),
      // A failed fsync may have dropped pages it could not write; nothing later can prove them on disk.
      onFatal: (error) => {
        diskFailed(error);
        process.exit(EXIT_DISK_FAILED);
      },
    });
  try {
    await migrateToLatest(store.db, store.engine);
    const app = createApp({
      config,
      store,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.logStream ? { logStream: options.logStream } : {}),
    });
    checkpointFailed = (message) => app.server.log.error({ message }, 'background checkpoint failed');
    if (config.logLevel !== 'silent') diskFailed = (error) => app.server.log.fatal({ err: error }, FSYNC_FAILED);
    app.services.jobs.onLockTrouble = (message, error) => app.server.log.error({ err: error }, message);
    const report = await bootstrap(config, store, app.services);
    const address = await app.server.listen({ host: config.host, port: config.port });
    // With PORT=0 the port is known only now: a public URL derived from it (PUBLIC_URL unset) takes the real one,
    // so links the services build and the start-up banner point at the server that is actually listening.
    if (config.port === 0 && config.publicUrl === defaultPublicUrl(config.host, 0)) {
      config.publicUrl = defaultPublicUrl(config.host, (app.server.server.address() as AddressInfo).port);
    }
    let inboundSmtp: InboundSmtpListener | null = null;
    if (config.smtpListen) {
      const log = app.server.log;
      inboundSmtp = await startSmtpListener(
        config.smtpListen,
        config.emailDomain,
        app.services.inboundEmail,
        () => store.durable(),
        (error) => log.error({ err: error }, 'inbound SMTP listener'),
      ).catch(async (error: unknown) => {
        await app.server.close();
        throw error;
      });
    }
    // Due jobs (including messages that came due while the server was down) run as soon as it listens.
    if (config.workerEnabled) app.services.jobs.start();
    return {
      ...app,
      store,
      url: address,
      bootstrap: report,
      inboundSmtp,
      close: async () => {
        // Unready first, so load balancers stop sending; with SHUTDOWN_DRAIN_MS, still serving while they notice.
        app.services.readiness.stop();
        if (config.shutdownDrainMs > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs));
        await inboundSmtp?.close();
        await app.services.jobs.stop();
        // Closing closes idle connections once; one whose last answer was still streaming (a file) becomes idle just
        // after, and would otherwise hold the close until its keep-alive timeout.
        const sweep = setInterval(() => app.server.server.closeIdleConnections(), 50);
        try {
          await app.server.close();
        } finally {
          clearInterval(sweep);
        }
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
