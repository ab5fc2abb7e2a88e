// What a benchmark run measures, from the environment: engine, dataset scale, time per scenario, where data lives.
import os from 'node:os';
import path from 'node:path';

export type Engine = 'sqlite' | 'postgres';

export interface Dataset {
  scale: string;
  locations: number;
  contacts: number;
  conversations: number;
  messages: number;
}

/** Every scale keeps the whole dataset in one location: every per-location index range and count spans all of it. */
const SCALES: Record<string, Omit<Dataset, 'scale'>> = {
  small: { locations: 1, contacts: 12_000, conversations: 10_000, messages: 100_000 },
  medium: { locations: 1, contacts: 120_000, conversations: 100_000, messages: 1_000_000 },
  full: { locations: 1, contacts: 1_200_000, conversations: 1_000_000, messages: 10_000_000 },
  // The contact lookups at full scale without the full message history (seeding 10M messages takes the longest).
  contacts: { locations: 1, contacts: 1_200_000, conversations: 10_000, messages: 100_000 },
};

export interface Settings {
  engine: Engine;
  dataset: Dataset;
  /** Seconds each measured load runs (after a warm-up of its own). */
  duration: number;
  warmup: number;
  /** Connections of the throughput scenarios; latency scenarios use one. */
  connections: number;
  dir: string;
  postgresUrl: string;
  reseed: boolean;
  /** Only these scenarios (comma-separated names), for a quick look at one. */
  only: string[] | null;
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

export function loadSettings(): Settings {
  const engine = (process.env.BENCH_ENGINE ?? 'sqlite') as Engine;
  if (engine !== 'sqlite' && engine !== 'postgres') throw new Error('BENCH_ENGINE must be sqlite or postgres');
  const scale = process.env.BENCH_SCALE ?? 'small';
  const preset = SCALES[scale];
  if (!preset) throw new Error(`BENCH_SCALE must be one of ${Object.keys(SCALES).join(', ')}`);
  const only =
    process.env.BENCH_ONLY?.split(',')
      .map((name) => name.trim())
      .filter(Boolean) ?? null;
  return {
    engine,
    dataset: { scale, ...preset },
    duration: positive('BENCH_DURATION', scale === 'small' ? 5 : 10),
    warmup: positive('BENCH_WARMUP', 2),
    connections: positive('BENCH_CONNECTIONS', 10),
    dir: path.resolve(process.env.BENCH_DIR ?? path.join('bench', 'results', 'tmp')),
    postgresUrl: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432',
    reseed: process.env.BENCH_RESEED === '1',
    only: only && only.length > 0 ? only : null,
  };
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
  };
}
