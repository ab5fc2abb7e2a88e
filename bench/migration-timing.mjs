// Times migrations 0017 (messages clustered by conversation and date) and 0018 (full-text index) on a seeded store
// made by the schema before them. Needs `npm run build`. Usage:
//   node bench/migration-timing.mjs sqlite /tmp/mig.db 1000000
//   node bench/migration-timing.mjs postgres postgres://postgres@127.0.0.1:5432/mig 1000000
import fs from 'node:fs';
import { seed } from '../dist/seed/seeder.js';
import { openStore } from '../dist/store/database.js';
import { migrateToLatest } from '../dist/store/migrator.js';

const [engine, target, count = '1000000'] = process.argv.slice(2);
const messages = Number(count);
const config =
  engine === 'sqlite'
    ? { engine, file: target, synchronous: 'NORMAL' }
    : { engine: 'postgres', url: target, poolSize: 2 };
const names = fs
  .readdirSync(new URL('../dist/store/migrations/', import.meta.url))
  .filter((name) => name.endsWith('.js'))
  .map((name) => name.slice(0, -3))
  .sort();
const before = names.filter((name) => name < '0017').at(-1);
const store = openStore(config, { backgroundCheckpoints: false });
const seconds = (from) => Math.round(performance.now() - from) / 1000;

await migrateToLatest(store.db, store.engine, '0010_counts');
let at = performance.now();
await seed(
  store,
  {
    locations: 10,
    contacts: Math.round(messages / 8),
    conversations: Math.round(messages / 10),
    messages,
    seed: 1,
    until: Date.UTC(2026, 0, 1),
  },
  'migrate.example',
  null,
);
const seeded = seconds(at);
await migrateToLatest(store.db, store.engine, before);
const timings = {};
for (const name of names.filter((name) => name >= '0017' && name <= '0018_message_search')) {
  at = performance.now();
  await migrateToLatest(store.db, store.engine, name);
  timings[name] = seconds(at);
}
console.log(JSON.stringify({ engine, messages, seededSeconds: seeded, migrationSeconds: timings }));
await store.close();
