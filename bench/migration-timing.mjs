// Times every migration from 0017 (messages clustered by conversation and date) on, 0018 and 0029 (full-text
// indexes) and 0036 (email threads by seq) among them, on a seeded store made by the schema before 0017: an operator's
// upgrade from that schema. Wall and CPU seconds each. Needs `npm run build`. Usage:
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
for (const name of names.filter((name) => name >= '0017')) {
  at = performance.now();
  const cpu = process.cpuUsage();
  await migrateToLatest(store.db, store.engine, name);
  const used = process.cpuUsage(cpu);
  timings[name] = { wall: seconds(at), cpu: Math.round((used.user + used.system) / 1000) / 1000 };
  process.stderr.write(`${name}: ${JSON.stringify(timings[name])}\n`);
}
console.log(JSON.stringify({ engine, messages, seededSeconds: seeded, migrationSeconds: timings }));
await store.close();
