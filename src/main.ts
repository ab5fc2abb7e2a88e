// The `switchboard` command line: serve, migrate, location and token management.
import { parseArgs } from 'node:util';
import { describeBootstrap } from './bootstrap.js';
import { loadConfig } from './config.js';
import { describeConfiguration } from './config-variables.js';
import { systemClock } from './domain/clock.js';
import { LocationService } from './domain/locations.js';
import { seed } from './seed/seeder.js';
import { type RunningServer, startServer } from './server.js';
import { SNAPSHOT_USAGE, snapshotCommand } from './snapshot-command.js';
import { describeStartupFailure } from './startup-errors.js';
import { openStore, type Store } from './store/database.js';
import { migrateToLatest } from './store/migrator.js';
import { switchboardVersion } from './version.js';

const COMMANDS = `Usage: switchboard <command>

Commands:
  serve                                   start the API server (default)
  migrate                                 apply database migrations and exit
  location create --name NAME             create a location and print its id
  token create --location ID [--scope S]  issue a private integration token (repeat --scope; default all)
  seed [--locations N] [--contacts N] [--conversations N] [--messages N] [--seed N]
                                          write a realistic dataset in bulk (default 3 / 12,000 / 10,000 / 100,000);
                                          progress on stderr, a JSON report on stdout
${SNAPSHOT_USAGE}

Options:
  -h, --help                              this text
  -v, --version                           the version of Switchboard`;

const USAGE = `${COMMANDS}\n\n${describeConfiguration()}`;

async function withStore<T>(run: (services: { locations: LocationService }) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const store = openStore(config.database, { backgroundCheckpoints: false });
  try {
    await migrateToLatest(store.db, store.engine);
    return await run({ locations: new LocationService(store, systemClock) });
  } finally {
    await store.close();
  }
}

function count(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`--${name} must be a whole number, got "${raw}"`);
  return Number(raw);
}

async function seedCommand(values: {
  locations?: string;
  contacts?: string;
  conversations?: string;
  messages?: string;
  seed?: string;
}) {
  const config = loadConfig();
  const store: Store = openStore(config.database, { backgroundCheckpoints: false });
  try {
    await migrateToLatest(store.db, store.engine);
    const conversations = count('conversations', values.conversations, 10_000);
    const report = await seed(
      store,
      {
        locations: count('locations', values.locations, 3),
        contacts: count('contacts', values.contacts, Math.max(conversations, 12_000)),
        conversations,
        messages: count('messages', values.messages, 100_000),
        seed: count('seed', values.seed, 1),
        until: systemClock.now(),
      },
      config.emailDomain,
    );
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await store.close();
  }
}

async function serve() {
  const config = loadConfig();
  // Signals are handled from the first moment, not once the server listens: a SIGTERM during start-up (migrations
  // included) lets the step in flight finish or roll back, then stops, rather than killing the process mid-write.
  let server: RunningServer | null = null;
  let stopping: NodeJS.Signals | null = null;
  // A second signal while closing falls through to the default action and ends the process at once.
  const shutdown = async (signal: NodeJS.Signals) => {
    stopping = signal;
    if (!server) {
      console.log(`Switchboard stopping (${signal}) once start-up reaches a safe point.`);
      return;
    }
    console.log(`Switchboard shutting down (${signal}): finishing requests in flight and running jobs.`);
    try {
      await server.close();
      console.log('Switchboard stopped.');
      process.exit(0);
    } catch (error) {
      console.error('Shutdown failed:', error instanceof Error ? error.message : error);
      process.exit(1);
    }
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  server = await startServer(config).catch((error: unknown) => {
    throw new Error(describeStartupFailure(error, config));
  });
  if (stopping) return shutdown(stopping);
  const banner = describeBootstrap(server.bootstrap, config.publicUrl);
  console.log(`Switchboard listening on ${server.url} (${server.store.engine})`);
  if (banner) console.log(banner);
}

export async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      location: { type: 'string' },
      scope: { type: 'string', multiple: true },
      locations: { type: 'string' },
      contacts: { type: 'string' },
      conversations: { type: 'string' },
      messages: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      replace: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  const [command = 'serve', sub] = positionals;
  if (values.help || command === 'help') {
    console.log(USAGE);
    return;
  }
  if (values.version || command === 'version') {
    console.log(switchboardVersion());
    return;
  }
  switch (command) {
    case 'serve':
      return serve();
    case 'migrate': {
      const config = loadConfig();
      const store = openStore(config.database, { backgroundCheckpoints: false });
      try {
        const applied = await migrateToLatest(store.db, store.engine);
        console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
      } finally {
        await store.close();
      }
      return;
    }
    case 'location':
      if (sub !== 'create' || !values.name) throw new Error(`${USAGE}\n\nlocation create needs --name`);
      return withStore(async ({ locations }) => {
        const location = await locations.createLocation({ name: values.name as string });
        console.log(location.id);
      });
    case 'token':
      if (sub !== 'create' || !values.location) throw new Error(`${USAGE}\n\ntoken create needs --location`);
      return withStore(async ({ locations }) => {
        const issued = await locations.issueToken(
          values.location as string,
          values.scope ? { scopes: values.scope } : {},
        );
        console.log(issued.token);
      });
    case 'seed':
      return seedCommand(values);
    case 'snapshot':
      return snapshotCommand({
        action: sub,
        file: positionals[2],
        location: values.location,
        out: values.out,
        replace: values.replace === true,
      });
    default:
      throw new Error(`Unknown command "${command}".\n\n${USAGE}`);
  }
}
