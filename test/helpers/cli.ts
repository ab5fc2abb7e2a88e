// Runs the real `switchboard` command (bin/switchboard.js → dist/) as a child process, with only the environment given.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestDatabase } from './engines.js';
import { Client, VERSION } from './harness.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/switchboard.js');

const LOCK = path.join(ROOT, '.dist-build.lock');
const STALE_LOCK_MS = 10 * 60_000;

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Compiles src/ into dist/, which the CLI imports; a failed build fails the suite with the compiler's output. Test
 * files run in parallel and several build: one at a time (a lock directory), so none runs a half-written dist/.
 */
export function buildDist(): void {
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) fs.rmSync(LOCK, { recursive: true, force: true });
      else sleep(200);
    }
  }
  try {
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(`the build (tsc -p tsconfig.build.json) failed:\n${result.stdout}${result.stderr}`);
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/** The environment that points the CLI at a test database: a SQLite file in DATA_DIR, or a PostgreSQL schema. */
export function databaseEnv(database: TestDatabase, dataDir: string): Record<string, string> {
  const config = database.config;
  if (config.engine === 'sqlite') return { DATA_DIR: dataDir };
  const url = new URL(config.url);
  url.searchParams.set('options', `-c search_path=${config.schema},public`);
  return { DATA_DIR: dataDir, DATABASE_URL: url.toString() };
}

/** A clean environment: nothing leaks in from the test runner's (DATABASE_URL, PORT, ...), plus the overrides. */
function environment(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env };
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], env: Record<string, string>, cwd: string): Promise<Finished> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: environment(env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

export class Serving {
  stdout = '';
  stderr = '';
  /** The exit code once the process has ended (null when a signal ended it). */
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk) => {
      this.stdout += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  }

  /** Resolves once stdout matches, or rejects when the process exits or the wait times out. */
  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.stdout.match(pattern);
      if (match) return match;
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`no ${pattern} in the output (exit ${this.child.exitCode}):\n${this.stdout}\n${this.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** kill -9: the process ends at once, as in a power cut as far as the process is concerned. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Sends SIGTERM and answers the exit code (null if it had to be killed after the timeout). */
  async stop(timeoutMs = 10_000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

export function serveCli(env: Record<string, string>, cwd: string): Serving {
  return new Serving(spawn(process.execPath, [BIN, 'serve'], { cwd, env: environment(env) }));
}

/** A served process once it listens, with admin and token clients on its address (the crash tests' server). */
export interface Served {
  serving: Serving;
  baseUrl: string;
  admin: Client;
  access: { admin: Client; client(token: string): Client };
}

export async function startServed(env: Record<string, string>, cwd: string, adminToken: string): Promise<Served> {
  const serving = serveCli(env, cwd);
  const [, url] = await serving.waitFor(/Switchboard listening on (http:\/\/\S+) /, 90_000);
  const baseUrl = url as string;
  const admin = new Client(baseUrl, { authorization: `Bearer ${adminToken}` });
  const client = (token: string) => new Client(baseUrl, { authorization: `Bearer ${token}`, version: VERSION });
  return { serving, baseUrl, admin, access: { admin, client } };
}
