// CPU time a measured load cost each process, read from /proc (Linux; the database local), and the database's own
// count of the transactions (and, where pg_stat_statements is loaded, statements) it ran meanwhile. Divided by the
// messages written these are per-message costs, which unlike messages per second hold on a busy machine.
import fs from 'node:fs';
import pg from 'pg';

const TICK_MS = 10; // USER_HZ is 100 on Linux.

function cpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

export interface CostSnapshot {
  servers: number[];
  database: Map<number, number>;
  loadGenerator: NodeJS.CpuUsage;
  transactions: number;
  statements: number | null;
}

export interface Costs {
  /** CPU milliseconds of each server process. */
  serversCpuMs: number[];
  /** CPU milliseconds of the database's processes (its backends and background writers). */
  databaseCpuMs: number;
  loadGeneratorCpuMs: number;
  transactions: number;
  statements: number | null;
}

async function databaseCounters(client: pg.Client, database: string) {
  const pids = await client.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE (datname = $1 OR datname IS NULL) AND pid <> pg_backend_pid()',
    [database],
  );
  const xacts = await client.query<{ n: string }>(
    'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1',
    [database],
  );
  let statements: number | null = null;
  try {
    const calls = await client.query<{ n: string | null }>(
      `SELECT sum(calls) AS n FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1)`,
      [database],
    );
    statements = Number(calls.rows[0]?.n ?? 0);
  } catch {
    // pg_stat_statements is not loaded on this server: transactions only.
  }
  return { pids: pids.rows.map((row) => row.pid), transactions: Number(xacts.rows[0]?.n ?? 0), statements };
}

/** Backends report their counts once idle, at most once a second (later when just reported): until they stop moving. */
async function settledCounters(client: pg.Client, database: string) {
  let last = await databaseCounters(client, database);
  for (let i = 0; i < 12; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await client.query('SELECT pg_stat_clear_snapshot()');
    const next = await databaseCounters(client, database);
    if (next.transactions === last.transactions) return next;
    last = next;
  }
  return last;
}

/** Measures what `during` costs: call it around the measured load only. */
export async function measureCosts<T>(
  databaseUrl: string,
  serverPids: number[],
  during: () => Promise<T>,
): Promise<{ value: T; costs: Costs }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const database = new URL(databaseUrl).pathname.slice(1);
  try {
    // Counts statements where the server loads pg_stat_statements (the bench's own fresh database: no harm elsewhere).
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').catch(() => undefined);
    // Counters reach pg_stat_database when a backend goes idle; a fresh snapshot is taken per query.
    await client.query('SELECT pg_stat_clear_snapshot()');
    const before = await databaseCounters(client, database);
    const databaseBefore = new Map(before.pids.map((pid) => [pid, cpuMs(pid) ?? 0]));
    const serversBefore = serverPids.map((pid) => cpuMs(pid) ?? 0);
    const generatorBefore = process.cpuUsage();
    const value = await during();
    const loadGenerator = process.cpuUsage(generatorBefore);
    const serversCpuMs = serverPids.map((pid, i) => (cpuMs(pid) ?? 0) - (serversBefore[i] ?? 0));
    const after = await settledCounters(client, database);
    let databaseCpuMs = 0;
    for (const pid of new Set([...before.pids, ...after.pids])) {
      const now = cpuMs(pid);
      if (now !== null) databaseCpuMs += now - (databaseBefore.get(pid) ?? 0);
    }
    return {
      value,
      costs: {
        serversCpuMs,
        databaseCpuMs,
        loadGeneratorCpuMs: (loadGenerator.user + loadGenerator.system) / 1000,
        transactions: after.transactions - before.transactions,
        statements:
          after.statements !== null && before.statements !== null ? after.statements - before.statements : null,
      },
    };
  } finally {
    await client.end();
  }
}
