// The servers a run measures, each in a child process of its own: Switchboard (the compiled server, as `npm start`
// runs it), the reference (a bare Fastify route answering a same-sized JSON body from memory), and Prism mocking the
// same spec (the stateless alternative: examples, no data).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const ADMIN_TOKEN = 'bench-admin-token-0123456789';

export interface ServerProcess {
  url: string;
  pid: number;
  /** Milliseconds from spawning the process to the first 200 from /healthz. */
  readyMs: number;
  memory(): { rssMB: number; peakRssMB: number };
  /** CPU time the process has used so far (user + system, every thread), milliseconds. */
  cpuMs(): number;
  /** Read and write system calls the process has made so far (`/proc/<pid>/io`): deterministic where time is not. */
  io(): { reads: number; writes: number };
  stop(): Promise<void>;
}

// Whatever happens to the run, no server it started outlives it.
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function statusKB(pid: number, field: string): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces), from field 3: utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

function io(pid: number): { reads: number; writes: number } {
  const text = fs.readFileSync(`/proc/${pid}/io`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { reads: field('syscr'), writes: field('syscw') };
}

/** Ready when `readyPath` answers 200, or (`anyAnswer`) answers at all. */
async function waitReady(
  child: ChildProcess,
  url: string,
  started: number,
  readyPath: string,
  anyAnswer: boolean,
): Promise<number> {
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  for (;;) {
    if (exited !== null) throw new Error(`server exited with ${exited} before it was ready`);
    try {
      const response = await fetch(`${url}${readyPath}`);
      if (response.status === 200 || anyAnswer) return performance.now() - started;
    } catch {
      // Not listening yet.
    }
    if (performance.now() - started > 120_000) throw new Error('server not ready after 120 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function start(
  args: string[] | ((port: number) => string[]),
  env: Record<string, string>,
  ready = { path: '/healthz', anyAnswer: false },
): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, typeof args === 'function' ? args(port) : args, {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const pid = child.pid as number;
  children.add(child);
  child.once('exit', () => children.delete(child));
  const readyMs = await waitReady(child, url, started, ready.path, ready.anyAnswer);
  return {
    url,
    pid,
    readyMs,
    memory: () => ({ rssMB: statusKB(pid, 'VmRSS') / 1024, peakRssMB: statusKB(pid, 'VmHWM') / 1024 }),
    cpuMs: () => cpuMs(pid),
    io: () => io(pid),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function startSwitchboard(
  databaseUrl: string,
  dataDir: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  // BENCH_SWITCHBOARD: another build's bin/switchboard.js (an earlier commit, measured back to back with this one).
  const bin = process.env.BENCH_SWITCHBOARD || path.resolve('bin', 'switchboard.js');
  return start([...nodeArgs, bin, 'serve'], {
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    BOOTSTRAP_DEMO: 'false',
    SWITCHBOARD_ADMIN_TOKEN: ADMIN_TOKEN,
    // HighLevel's limits (100 requests per 10 s per token) would cap every scenario: capacity, not policy, is measured.
    RATE_LIMIT_ENABLED: 'false',
    ...env,
  });
}

/** The reference server answers each scenario's sample body (bodies file: `{name: body}`) at /ref/{name}. */
export function startReference(bodiesFile: string): Promise<ServerProcess> {
  return start([path.resolve('dist-bench', 'reference-server.js'), bodiesFile], {});
}

/** Prism (`@stoplight/prism-cli`, a devDependency) mocking the conversations spec Switchboard serves. */
export function startPrism(): Promise<ServerProcess> {
  const cli = path.resolve('node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
  const spec = path.resolve('spec', 'v3', 'conversations.json');
  return start(
    (port) => [cli, 'mock', '--host', '127.0.0.1', '--port', String(port), spec],
    {},
    {
      path: '/conversations/prism-ready',
      anyAnswer: true,
    },
  );
}

/** A private integration token of `locationId`, issued through the admin API. */
export async function issueToken(server: ServerProcess, locationId: string): Promise<string> {
  const response = await fetch(`${server.url}/admin/v1/locations/${locationId}/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'benchmark' }),
  });
  if (response.status !== 201) throw new Error(`token issue answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}
