// Results of a run: the JSON kept under bench/results/ (one file per run, never overwritten) and the markdown
// table printed for the README.
import fs from 'node:fs';
import path from 'node:path';
import type { ExportWalk } from './export-walk.js';
import type { LoadResult } from './load.js';
import type { Scenario, Target } from './scenarios.js';

export interface ScenarioResult {
  name: string;
  title: string;
  switchboard: LoadResult;
  reference: LoadResult | null;
  /** Switchboard's requests/s over the reference's. */
  ratio: number | null;
  /** Prism mocking the same spec, the same requests (its stateless examples; null where not run). */
  prism?: LoadResult | null;
  bodyBytes: number;
  target?: Target;
  met?: boolean;
  note?: string;
}

export interface RunResults {
  date: string;
  engine: string;
  machine: Record<string, unknown>;
  loadAverage: { before: number[]; after: number[] };
  dataset: Record<string, unknown>;
  server: Record<string, unknown>;
  scenarios: ScenarioResult[];
  export: {
    switchboard: ExportWalk;
    /** The same walk again, the total already counted. */
    again?: ExportWalk;
    reference: ExportWalk;
    ratio: number;
    target: number;
    met: boolean;
  } | null;
  startup: { readyMs: number[]; medianMs: number; target: number; met: boolean };
  memory: { rssAfterStartMB: number; peakRssMB: number; target: number; met: boolean };
}

export function evaluate(scenario: Scenario, result: ScenarioResult, all: ScenarioResult[]): boolean | undefined {
  const target = scenario.target;
  if (!target) return undefined;
  switch (target.kind) {
    case 'ratio':
      return (result.ratio ?? 0) >= target.min;
    case 'p99':
      return result.switchboard.p99 <= target.maxMs;
    case 'rate':
      return result.switchboard.perSecond >= target.min;
    case 'relative': {
      const base = all.find((other) => other.name === target.to);
      return base ? result.switchboard.p50 <= base.switchboard.p50 * target.maxFactor : undefined;
    }
  }
}

function describeTarget(target: Target | undefined): string {
  if (!target) return '';
  switch (target.kind) {
    case 'ratio':
      return `≥ ${target.min * 100}% of reference req/s`;
    case 'p99':
      return `p99 ≤ ${target.maxMs} ms`;
    case 'rate':
      return `≥ ${target.min.toLocaleString('en-US')}/s`;
    case 'relative':
      return `p50 ≤ ${target.maxFactor}× ${target.to}`;
  }
}

const mark = (met: boolean | undefined) => (met === undefined ? '' : met ? '✅' : '❌');
const num = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

/** Prism's req/s, and how many of its answers were errors (it validates requests against the spec, not data). */
function prismCell(prism: LoadResult | null | undefined): string {
  if (!prism) return '';
  const failed = prism.non2xx + prism.errors;
  return failed > 0 ? `${num(prism.perSecond)} (${num(failed)} non-2xx)` : num(prism.perSecond);
}

/** The server's CPU per answer, Switchboard's and (in brackets) the reference's. */
function cpuCell(s: ScenarioResult): string {
  if (s.switchboard.serverCpuUs === undefined) return '';
  const ref = s.reference?.serverCpuUs;
  return `${num(s.switchboard.serverCpuUs)}${ref === undefined ? '' : ` (${num(ref)})`}`;
}

export function markdown(results: RunResults): string {
  const d = results.dataset as { conversations: number; messages: number; scale: string };
  const m = results.machine as { cpu: string; cores: number; memoryGB: number; node: string };
  const lines = [
    `**${results.engine}**, ${d.scale} dataset (${num(d.conversations)} conversations, ${num(d.messages)} messages, one location), ${results.date.slice(0, 10)} — ${m.cores} × ${m.cpu}, ${m.memoryGB} GB, Node ${m.node}; load average before/after ${results.loadAverage.before[0]?.toFixed(2)}/${results.loadAverage.after[0]?.toFixed(2)}`,
    '',
    '| scenario | conns | req/s | p50 ms | p99 ms | reference req/s | ratio | Prism req/s | CPU µs/req (reference) | target | met |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | :---: |',
  ];
  for (const s of results.scenarios) {
    lines.push(
      `| ${s.title} | ${s.switchboard.connections} | ${num(s.switchboard.perSecond)} | ${s.switchboard.p50} | ${s.switchboard.p99} | ${s.reference ? num(s.reference.perSecond) : ''} | ${s.ratio === null ? '' : `${Math.round(s.ratio * 100)}%`} | ${prismCell(s.prism)} | ${cpuCell(s)} | ${describeTarget(s.target)} | ${mark(s.met)} |`,
    );
  }
  const e = results.export;
  if (e) {
    const row = (label: string, walk: ExportWalk, met: boolean) =>
      `| ${label}: ${num(walk.messages)} messages in ${walk.pages} pages of ${num(walk.messages / walk.pages)} | 1 | ${num(walk.messagesPerSecond)} msg/s | first page ${walk.firstPageMs}, later ${walk.laterPageP50Ms} | later ${walk.laterPageP99Ms} | ${num(e.reference.messagesPerSecond)} msg/s | ${Math.round((walk.messagesPerSecond / e.reference.messagesPerSecond) * 100)}% | | | ≥ ${num(e.target)} msg/s | ${mark(met)} |`;
    lines.push(row('export walk (total counted on page 1)', e.switchboard, e.met));
    if (e.again)
      lines.push(row('export walk again (total already counted)', e.again, e.again.messagesPerSecond >= e.target));
  }
  lines.push(
    `| start-up (spawn → /healthz 200), median of ${results.startup.readyMs.length} | | | ${results.startup.medianMs} | | | | | | ≤ ${results.startup.target} ms | ${mark(results.startup.met)} |`,
    `| peak RSS over the run (MB) | | | ${results.memory.peakRssMB} | | | | | | ≤ ${results.memory.target} MB | ${mark(results.memory.met)} |`,
  );
  const notes = results.scenarios.filter((s) => s.note).map((s) => `- ${s.title}: ${s.note}`);
  if (notes.length > 0) lines.push('', ...notes);
  return lines.join('\n');
}

export function writeResults(results: RunResults, dir = path.join('bench', 'results')): string {
  fs.mkdirSync(dir, { recursive: true });
  const dataset = (results.dataset as { scale: string }).scale;
  const base = `${results.date.slice(0, 10)}-${results.engine}-${dataset}`;
  let file = path.join(dir, `${base}.json`);
  // Earlier results stay: a second run the same day gets the time in its name.
  if (fs.existsSync(file)) file = path.join(dir, `${base}-${results.date.slice(11, 16).replace(':', '')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
