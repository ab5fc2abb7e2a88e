// The seeded database a run measures: seeded once per engine and scale through `switchboard seed` (its report is
// kept beside the data), and read directly for the samples the scenarios need (ids, users, names).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { Dataset, Settings } from './settings.js';

export interface SeedReport {
  options: Record<string, number>;
  locations: { id: string; name: string; contacts: number; conversations: number; messages: number; users: string[] }[];
  busiestConversation: { id: string; locationId: string; messages: number } | null;
  emails: number;
  phases: { phase: string; rows: number; seconds: number; perSecond: number }[];
  seconds: number;
}

export interface Seeded {
  databaseUrl: string;
  report: SeedReport;
  /** Whether this run seeded it (or reused an earlier seed). */
  seededNow: boolean;
}

/** A read-only look into the seeded tables, `?` placeholders on both engines. */
export interface Peek {
  rows<T>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

const CLI = path.resolve('bin', 'switchboard.js');

function databaseUrl(settings: Settings): string {
  if (settings.engine === 'sqlite') return `sqlite:${path.join(settings.dir, `sqlite-${settings.dataset.scale}.db`)}`;
  return `${settings.postgresUrl.replace(/\/+$/, '')}/${databaseName(settings.dataset)}`;
}

function databaseName(dataset: Dataset): string {
  return `switchboard_bench_${dataset.scale}`;
}

async function runSeed(url: string, dataset: Dataset): Promise<SeedReport> {
  const args = [
    CLI,
    'seed',
    '--locations',
    String(dataset.locations),
    '--contacts',
    String(dataset.contacts),
    '--conversations',
    String(dataset.conversations),
    '--messages',
    String(dataset.messages),
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`switchboard seed exited with ${code}`);
  return JSON.parse(out) as SeedReport;
}

async function resetPostgres(settings: Settings): Promise<void> {
  const admin = new pg.Client({ connectionString: `${settings.postgresUrl.replace(/\/+$/, '')}/postgres` });
  await admin.connect();
  try {
    const name = databaseName(settings.dataset);
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
}

/** The dataset of this engine and scale: the earlier seed when its report is there, else a fresh one. */
export async function ensureSeeded(settings: Settings): Promise<Seeded> {
  fs.mkdirSync(settings.dir, { recursive: true });
  const url = databaseUrl(settings);
  const reportFile = path.join(settings.dir, `${settings.engine}-${settings.dataset.scale}.json`);
  if (!settings.reseed && fs.existsSync(reportFile)) {
    return {
      databaseUrl: url,
      report: JSON.parse(fs.readFileSync(reportFile, 'utf8')) as SeedReport,
      seededNow: false,
    };
  }
  fs.rmSync(reportFile, { force: true });
  if (settings.engine === 'sqlite') {
    const file = url.slice('sqlite:'.length);
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
  } else {
    await resetPostgres(settings);
  }
  const report = await runSeed(url, settings.dataset);
  fs.writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  return { databaseUrl: url, report, seededNow: true };
}

export async function openPeek(settings: Settings, url: string): Promise<Peek> {
  if (settings.engine === 'sqlite') {
    const db = new SqliteDatabase(url.slice('sqlite:'.length), { readonly: true });
    return {
      rows: async <T>(text: string, params: unknown[] = []) => db.prepare(text).all(...params) as T[],
      close: async () => {
        db.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    rows: async <T>(text: string, params: unknown[] = []) => {
      let n = 0;
      const result = await client.query(
        text.replace(/\?/g, () => `$${++n}`),
        params,
      );
      return result.rows as T[];
    },
    close: () => client.end(),
  };
}

export async function databaseBytes(settings: Settings, url: string): Promise<number> {
  if (settings.engine === 'sqlite') {
    const file = url.slice('sqlite:'.length);
    return ['', '-wal'].reduce(
      (sum, suffix) => sum + (fs.statSync(`${file}${suffix}`, { throwIfNoEntry: false })?.size ?? 0),
      0,
    );
  }
  const peek = await openPeek(settings, url);
  try {
    const [row] = await peek.rows<{ bytes: string }>('select pg_database_size(current_database()) as bytes');
    return Number(row?.bytes ?? 0);
  } finally {
    await peek.close();
  }
}

/**
 * A copy of the seeded dataset named `name` (made afresh), for servers measured side by side that must not share
 * one database's writer: SQLite copies the file, PostgreSQL creates a database from the seeded one as its template.
 */
export async function copyDataset(settings: Settings, url: string, name: string): Promise<string> {
  if (settings.engine === 'sqlite') {
    const file = url.slice('sqlite:'.length);
    const copy = path.join(settings.dir, `sqlite-${settings.dataset.scale}-${name}.db`);
    for (const suffix of ['', '-wal', '-shm']) {
      fs.rmSync(`${copy}${suffix}`, { force: true });
      if (suffix !== '-shm' && fs.existsSync(`${file}${suffix}`))
        fs.copyFileSync(`${file}${suffix}`, `${copy}${suffix}`);
    }
    return `sqlite:${copy}`;
  }
  const copy = `${databaseName(settings.dataset)}_${name}`;
  const admin = new pg.Client({ connectionString: `${settings.postgresUrl.replace(/\/+$/, '')}/postgres` });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${copy}`);
    await admin.query(`create database ${copy} template ${databaseName(settings.dataset)}`);
  } finally {
    await admin.end();
  }
  return `${settings.postgresUrl.replace(/\/+$/, '')}/${copy}`;
}
