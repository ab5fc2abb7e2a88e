// `npm run bench`: seeds (or reuses) a dataset, starts the compiled Switchboard on it and a reference server,
// and measures every scenario against the reference in one run on this machine. See README "Benchmarks".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databaseBytes, ensureSeeded, openPeek } from './dataset.js';
import { walkExport, walkReference } from './export-walk.js';
import { runJournalSuite } from './journal-ab.js';
import { type LoadSpec, runLoad, runPaced } from './load.js';
import { evaluate, markdown, type RunResults, type ScenarioResult, writeResults } from './report.js';
import { runScale } from './scale.js';
import { type Api, buildScenarios, drawSamples, type Scenario } from './scenarios.js';
import { issueToken, type ServerProcess, startPrism, startReference, startSwitchboard } from './servers.js';
import { loadSettings, machine } from './settings.js';

const VERSION = '2021-07-28';
const EXPORT_MESSAGES = 100_000;
const EXPORT_LIMIT = 500;
const READY_TARGET_MS = 2000;
const RSS_TARGET_MB = 300;
const EXPORT_TARGET = 50_000;
const STARTS = 3;

const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The body the reference answers for a scenario: of a few of its requests (a write: only the first), the answer of
 * median size, so the reference serves what a typical request of the rotation gets.
 */
async function sampleBody(server: ServerProcess, headers: Record<string, string>, scenario: Scenario) {
  const samples: { body: unknown; bytes: number }[] = [];
  for (const request of scenario.requests.slice(0, scenario.method === 'GET' ? 15 : 1)) {
    const response = await fetch(`${server.url}${request.path}`, {
      method: scenario.method,
      headers: scenario.method === 'POST' ? { ...headers, 'content-type': 'application/json' } : headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
    });
    const text = await response.text();
    if (response.status >= 300)
      throw new Error(`${scenario.name}: ${request.path} answered ${response.status}: ${text}`);
    samples.push({ body: JSON.parse(text) as unknown, bytes: Buffer.byteLength(text) });
  }
  samples.sort((a, b) => a.bytes - b.bytes);
  const median = samples[Math.floor(samples.length / 2)];
  if (!median) throw new Error(`${scenario.name} has no requests`);
  return median;
}

/** BENCH_SUITE=scale: PostgreSQL inbound with 1 and 10 locations, on 1 and 2 servers (bench/scale.ts). */
async function scaleSuite() {
  const settings = loadSettings();
  const before = os.loadavg();
  fs.mkdirSync(settings.dir, { recursive: true });
  const results = await runScale({
    postgresUrl: settings.postgresUrl,
    dir: settings.dir,
    seconds: settings.duration,
    warmup: settings.warmup,
    connections: settings.connections,
    only: settings.only,
  });
  const stamp = new Date().toISOString();
  const file = path.join(
    'bench',
    'results',
    `${stamp.slice(0, 10)}-postgres-scale-${stamp.slice(11, 16).replace(':', '')}.json`,
  );
  const run = {
    at: new Date().toISOString(),
    machine: machine(),
    loadBefore: before,
    loadAfter: os.loadavg(),
    results,
  };
  fs.writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
  process.stdout.write('| locations | servers | connections | inbound msg/s | failed |\n|---|---|---|---|---|\n');
  for (const r of results) {
    process.stdout.write(`| ${r.locations} | ${r.servers} | ${r.connections} | ${r.perSecond} | ${r.failed} |\n`);
  }
  log(`wrote ${file}`);
}

/**
 * A measured load, with the CPU it cost the server and the load generator per answer: on a machine of few cores that
 * both share, what a request costs says more than how many fit in a second.
 */
async function measuredLoad(server: ServerProcess, spec: LoadSpec) {
  const serverBefore = server.cpuMs();
  const loadBefore = process.cpuUsage();
  const result = await runLoad(server.url, spec);
  const serverMs = server.cpuMs() - serverBefore;
  const load = process.cpuUsage(loadBefore);
  const per = (us: number) => (result.ok > 0 ? Math.round(us / result.ok) : 0);
  return { ...result, serverCpuUs: per(serverMs * 1000), loadCpuUs: per(load.user + load.system) };
}

async function main() {
  if (process.env.BENCH_SUITE === 'scale') return scaleSuite();
  if (process.env.BENCH_SUITE === 'journal') return runJournalSuite();
  const settings = loadSettings();
  const before = os.loadavg();
  log(`Switchboard benchmark: ${settings.engine}, ${settings.dataset.scale} dataset`);
  const seeded = await ensureSeeded(settings);
  const location = seeded.report.locations[0];
  if (!location) throw new Error('the seeded dataset has no location');

  // Start-up on the large database, a few times; the last start serves the run.
  const readyMs: number[] = [];
  let server: ServerProcess | null = null;
  for (let i = 0; i < STARTS; i++) {
    if (server) await server.stop();
    server = await startSwitchboard(seeded.databaseUrl, settings.dir);
    readyMs.push(round(server.readyMs));
  }
  if (!server) throw new Error('unreachable');
  const sb = server;
  const rssAfterStartMB = round(sb.memory().rssMB);
  log(`ready in ${readyMs.join(', ')} ms; RSS ${rssAfterStartMB} MB`);

  const token = await issueToken(sb, location.id);
  const headers = { authorization: `Bearer ${token}`, version: VERSION };
  const api: Api = async <T>(urlPath: string) => {
    const response = await fetch(`${sb.url}${urlPath}`, { headers });
    if (response.status !== 200) throw new Error(`${urlPath} answered ${response.status}`);
    return (await response.json()) as T;
  };
  const peek = await openPeek(settings, seeded.databaseUrl);
  const samples = await drawSamples(
    peek,
    location.id,
    location.users,
    seeded.report.busiestConversation
      ? { id: seeded.report.busiestConversation.id, messages: seeded.report.busiestConversation.messages }
      : null,
  );
  log('walking deep cursors…');
  let scenarios = await buildScenarios(api, samples, location.conversations, settings.only);
  if (settings.only) scenarios = scenarios.filter((s) => settings.only?.includes(s.name) || s.name === 'search.page1');

  const bodies: Record<string, unknown> = {};
  const sizes = new Map<string, number>();
  for (const scenario of scenarios.filter((s) => !s.writes)) {
    const { body, bytes } = await sampleBody(sb, headers, scenario);
    bodies[scenario.name] = body;
    sizes.set(scenario.name, bytes);
  }
  const exporting = !settings.only || settings.only.includes('export');
  // The first walk pays for the export's exact total (a count over every message of the location); the second,
  // with nothing written in between, finds it counted.
  const walk = () => walkExport(sb.url, headers, location.id, { messages: EXPORT_MESSAGES, limit: EXPORT_LIMIT });
  const exported = exporting ? await walk() : null;
  const exportedAgain = exporting ? await walk() : null;
  if (exported) bodies.export = exported.sampleBody;
  for (const scenario of scenarios.filter((s) => s.writes)) {
    const { body, bytes } = await sampleBody(sb, headers, scenario);
    bodies[scenario.name] = body;
    sizes.set(scenario.name, bytes);
  }
  const bodiesFile = path.join(settings.dir, 'reference-bodies.json');
  fs.writeFileSync(bodiesFile, JSON.stringify(bodies));
  const reference = await startReference(bodiesFile);
  const prism = await startPrism();
  // Prism checks every request against the spec, whose Version enum is `v3`.
  const prismHeaders = { ...headers, version: 'v3' };

  const results: ScenarioResult[] = [];
  try {
    for (const scenario of scenarios) {
      const connections = scenario.latency ? 1 : settings.connections;
      const seconds = scenario.name === 'inbound' ? settings.duration * 2 : settings.duration;
      const spec: LoadSpec = { method: scenario.method, requests: scenario.requests, headers, connections, seconds };
      const refSpec: LoadSpec = {
        ...spec,
        requests: scenario.requests.map((r) => ({
          path: `/ref/${scenario.name}`,
          ...(r.body ? { body: r.body } : {}),
        })),
      };
      log(`${scenario.name}: ${connections} connection(s), ${seconds}s`);
      await runLoad(reference.url, { ...refSpec, seconds: settings.warmup });
      const ref = await measuredLoad(reference, refSpec);
      // Prism back to back with Switchboard: the same requests and connections, its mocked answers.
      const prismSpec: LoadSpec = { ...spec, headers: prismHeaders };
      await runLoad(prism.url, { ...prismSpec, seconds: settings.warmup });
      const mocked = await measuredLoad(prism, prismSpec);
      const background = scenario.background
        ? runPaced(sb.url, {
            method: scenario.background.method,
            requests: scenario.background.requests,
            headers,
            seconds: settings.warmup + seconds + 1,
            rate: scenario.background.rate,
          })
        : null;
      await runLoad(sb.url, { ...spec, seconds: settings.warmup });
      const own = await measuredLoad(sb, spec);
      const behind = await background;
      const result: ScenarioResult = {
        name: scenario.name,
        title: scenario.title,
        switchboard: own,
        reference: ref,
        prism: mocked,
        ratio: ref.perSecond > 0 ? Math.round((own.perSecond / ref.perSecond) * 1000) / 1000 : null,
        bodyBytes: sizes.get(scenario.name) ?? 0,
        ...(scenario.target ? { target: scenario.target } : {}),
      };
      if (own.non2xx > 0 || own.errors > 0) result.note = `${own.non2xx} non-2xx answers, ${own.errors} errors`;
      if (behind)
        result.note = `background: ${behind.perSecond} inbound messages/s, evenly paced (${behind.sent - behind.ok} failed)`;
      results.push(result);
      log(
        `  ${own.perSecond} req/s (reference ${ref.perSecond}, Prism ${mocked.perSecond}), p50 ${own.p50} ms, p99 ${own.p99} ms`,
      );
    }
    for (const scenario of scenarios) {
      const result = results.find((r) => r.name === scenario.name);
      if (result) {
        const met = evaluate(scenario, result, results);
        if (met !== undefined) result.met = met;
      }
    }
    if (results.some((r) => r.name === 'send')) {
      const [pending] = await peek.rows<{ n: number }>(`select count(*) as n from jobs where status = 'pending'`);
      const send = results.find((r) => r.name === 'send');
      if (send) send.note = `${Number(pending?.n ?? 0)} delivery jobs still pending when the load ended`;
    }
  } finally {
    await reference.stop();
    await prism.stop();
  }
  const memory = sb.memory();
  await sb.stop();
  await peek.close();

  const refExport = exported
    ? await (async () => {
        const ref = await startReference(bodiesFile);
        try {
          return await walkReference(ref.url, exported.walk.pages, EXPORT_LIMIT);
        } finally {
          await ref.stop();
        }
      })()
    : null;
  const sortedReady = [...readyMs].sort((a, b) => a - b);
  const medianReady = sortedReady[Math.floor(sortedReady.length / 2)] ?? 0;
  const run: RunResults = {
    date: new Date().toISOString(),
    engine: settings.engine,
    machine: machine(),
    loadAverage: { before: before.map(round), after: os.loadavg().map(round) },
    dataset: {
      ...settings.dataset,
      emails: seeded.report.emails,
      databaseBytes: await databaseBytes(settings, seeded.databaseUrl),
      seedSeconds: seeded.report.seconds,
      seedPhases: seeded.report.phases,
      seededThisRun: seeded.seededNow,
    },
    server: {
      mode: 'compiled (node bin/switchboard.js serve), LOG_LEVEL=warn, RATE_LIMIT_ENABLED=false, worker enabled',
      durability: settings.engine === 'sqlite' ? 'SQLITE_SYNCHRONOUS=FULL (default)' : 'PostgreSQL defaults (fsync on)',
      throughputConnections: settings.connections,
      secondsPerScenario: settings.duration,
    },
    scenarios: results,
    export:
      exported && refExport
        ? {
            switchboard: exported.walk,
            ...(exportedAgain ? { again: exportedAgain.walk } : {}),
            reference: refExport,
            ratio: Math.round((exported.walk.messagesPerSecond / refExport.messagesPerSecond) * 1000) / 1000,
            target: EXPORT_TARGET,
            met: exported.walk.messagesPerSecond >= EXPORT_TARGET,
          }
        : null,
    startup: { readyMs, medianMs: medianReady, target: READY_TARGET_MS, met: medianReady <= READY_TARGET_MS },
    memory: {
      rssAfterStartMB,
      peakRssMB: round(memory.peakRssMB),
      target: RSS_TARGET_MB,
      met: memory.peakRssMB <= RSS_TARGET_MB,
    },
  };
  const file = writeResults(run);
  log(`results: ${file}`);
  console.log(markdown(run));
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
