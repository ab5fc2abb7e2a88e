// BENCH_SUITE=journal: what the request journal costs. The same build serves two copies of the dataset side by side,
// one with the journal on and one with JOURNAL=off, and each scenario loads them in turn (on, off, off, on, …) for
// BENCH_ROUNDS rounds, so both see the same machine; the server's own CPU time per request is measured beside the
// throughput, which a busy machine moves much more.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyDataset, ensureSeeded, openPeek } from './dataset.js';
import { type LoadResult, runLoad } from './load.js';
import { type Api, buildScenarios, drawSamples } from './scenarios.js';
import { issueToken, type ServerProcess, startSwitchboard } from './servers.js';
import { loadSettings, machine } from './settings.js';

const VERSION = '2021-07-28';
/** The journal's cost is measured on a point read, a page read and a write (docs/benchmarks.md). */
const DEFAULT_SCENARIOS = ['conversation.get', 'messages.list', 'inbound'];
const MODES = ['on', 'off'] as const;
type Mode = (typeof MODES)[number];

const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

interface Sample {
  round: number;
  mode: Mode;
  scenario: string;
  load: LoadResult;
  /** The server's CPU time per answered request (user + system, every thread), microseconds. */
  cpuUsPerRequest: number;
  /** Read and write system calls per answered request (the database's page reads and WAL writes among them). */
  syscalls: { reads: number; writes: number };
  loadAverage: number[];
}

interface Served {
  server: ServerProcess;
  headers: Record<string, string>;
}

export async function runJournalSuite(): Promise<void> {
  const settings = loadSettings();
  const names = settings.only ?? DEFAULT_SCENARIOS;
  const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
  const profileDir = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : null;
  const before = os.loadavg();
  const seeded = await ensureSeeded(settings);
  const location = seeded.report.locations[0];
  if (!location) throw new Error('the seeded dataset has no location');

  const served = {} as Record<Mode, Served>;
  for (const mode of MODES) {
    const url = await copyDataset(settings, seeded.databaseUrl, `journal_${mode}`);
    const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, mode)}`] : [];
    const server = await startSwitchboard(url, settings.dir, { JOURNAL: mode }, profile);
    served[mode] = {
      server,
      headers: { authorization: `Bearer ${await issueToken(server, location.id)}`, version: VERSION },
    };
  }
  const measured: Sample[] = [];
  try {
    // The scenarios (ids drawn from the dataset, deep cursors walked through the API) once, for both servers.
    const { server, headers } = served.off;
    const api: Api = async <T>(urlPath: string) => {
      const response = await fetch(`${server.url}${urlPath}`, { headers });
      if (response.status !== 200) throw new Error(`${urlPath} answered ${response.status}`);
      return (await response.json()) as T;
    };
    const peek = await openPeek(settings, seeded.databaseUrl);
    const samples = await drawSamples(peek, location.id, location.users, null);
    await peek.close();
    const scenarios = (await buildScenarios(api, samples, location.conversations, names)).filter((s) =>
      names.includes(s.name),
    );

    for (const scenario of scenarios) {
      const connections = scenario.latency ? 1 : settings.connections;
      const load = (mode: Mode, seconds: number) =>
        runLoad(served[mode].server.url, {
          method: scenario.method,
          requests: scenario.requests,
          headers: served[mode].headers,
          connections,
          seconds,
        });
      for (const mode of MODES) await load(mode, settings.warmup);
      for (let r = 0; r < rounds; r++) {
        for (const mode of r % 2 === 0 ? MODES : [...MODES].reverse()) {
          const { server } = served[mode];
          const cpuBefore = server.cpuMs();
          const ioBefore = server.io();
          const result = await load(mode, settings.duration);
          const answered = Math.max(1, result.ok + result.non2xx);
          const cpuUsPerRequest = round(((server.cpuMs() - cpuBefore) * 1000) / answered);
          const ioAfter = server.io();
          const syscalls = {
            reads: round((ioAfter.reads - ioBefore.reads) / answered, 2),
            writes: round((ioAfter.writes - ioBefore.writes) / answered, 2),
          };
          const loadAverage = os.loadavg().map((n) => round(n));
          measured.push({
            round: r + 1,
            mode,
            scenario: scenario.name,
            load: result,
            cpuUsPerRequest,
            syscalls,
            loadAverage,
          });
          log(
            `${scenario.name}, round ${r + 1}, journal ${mode}: ${result.perSecond} req/s, p99 ${result.p99} ms, ` +
              `${cpuUsPerRequest} µs CPU/request, syscalls/request ${syscalls.reads} r ${syscalls.writes} w, load ${loadAverage[0]}`,
          );
        }
      }
    }
  } finally {
    for (const mode of MODES) await served[mode].server.stop();
  }
  writeJournalResults(settings, before, rounds, measured);
}

function writeJournalResults(
  settings: ReturnType<typeof loadSettings>,
  before: number[],
  rounds: number,
  measured: Sample[],
): void {
  const scenarios = [...new Set(measured.map((m) => m.scenario))];
  const summary = scenarios.map((name) => {
    const of = (mode: Mode) => measured.filter((m) => m.scenario === name && m.mode === mode);
    const on = of('on');
    const off = of('off');
    // Each round's pair, loaded back to back, compared with each other: the median of those ratios.
    const paired = (value: (m: Sample) => number) =>
      round(median(on.map((m, i) => value(m) / Math.max(Number.EPSILON, value(off[i] as Sample)))), 3);
    return {
      name,
      on: median(on.map((m) => m.load.perSecond)),
      off: median(off.map((m) => m.load.perSecond)),
      cost: round(1 - paired((m) => m.load.perSecond), 3),
      cpuUsPerRequest: { on: median(on.map((m) => m.cpuUsPerRequest)), off: median(off.map((m) => m.cpuUsPerRequest)) },
      cpuCost: round(paired((m) => m.cpuUsPerRequest) - 1, 3),
    };
  });
  const stamp = new Date().toISOString();
  const file = path.join(
    'bench',
    'results',
    `${stamp.slice(0, 10)}-${settings.engine}-${settings.dataset.scale}-journal-${stamp.slice(11, 16).replace(':', '')}.json`,
  );
  const run = {
    date: stamp,
    engine: settings.engine,
    machine: machine(),
    loadAverage: { before: before.map((n) => round(n)), after: os.loadavg().map((n) => round(n)) },
    rounds,
    secondsPerLoad: settings.duration,
    connections: settings.connections,
    summary,
    measured,
  };
  fs.writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
  const percent = (n: number) => `${round(n * 100)}%`;
  process.stdout.write(
    '| scenario | journal on req/s | off req/s | cost | CPU µs/request on | off | CPU cost |\n' +
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n',
  );
  for (const s of summary) {
    process.stdout.write(
      `| ${s.name} | ${s.on} | ${s.off} | ${percent(s.cost)} | ${s.cpuUsPerRequest.on} | ${s.cpuUsPerRequest.off} | ${percent(s.cpuCost)} |\n`,
    );
  }
  log(`wrote ${file}`);
}
