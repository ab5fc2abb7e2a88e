// `BENCH_SUITE=scale npm run bench`: inbound messages per second on PostgreSQL as a deployment grows, with 1 and 10
// locations written at once, by 1 and 2 servers on one database. Every combination starts on a fresh database, with
// a few conversations per location made through the API, and the load spread evenly over servers and locations.
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { measureCosts } from './cpu.js';
import { ADMIN_TOKEN, type ServerProcess, startSwitchboard } from './servers.js';

const VERSION = '2021-07-28';
const CONVERSATIONS_PER_LOCATION = 20;
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Target {
  token: string;
  conversations: string[];
}

export interface ScaleResult {
  locations: number;
  servers: number;
  connections: number;
  seconds: number;
  ok: number;
  failed: number;
  perSecond: number;
  /** What one message cost, whatever else ran on the machine (bench/cpu.ts). */
  perMessage: {
    serversCpuMs: number;
    databaseCpuMs: number;
    loadGeneratorCpuMs: number;
    transactions: number;
    statements: number | null;
  };
}

const perMessage = (total: number, messages: number) => Math.round((total / Math.max(1, messages)) * 1000) / 1000;

async function api(server: ServerProcess, token: string, method: string, route: string, body: unknown) {
  const response = await fetch(`${server.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, version: VERSION, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Record<string, any>;
}

async function makeLocation(server: ServerProcess, index: number): Promise<Target> {
  const id = `benchScaleLocation${String(index).padStart(4, '0')}`;
  await api(server, ADMIN_TOKEN, 'POST', '/admin/v1/locations', { id, name: `Bench ${index}` });
  const { token } = await api(server, ADMIN_TOKEN, 'POST', `/admin/v1/locations/${id}/tokens`, { name: 'bench' });
  const conversations: string[] = [];
  for (let i = 0; i < CONVERSATIONS_PER_LOCATION; i++) {
    const phone = `+1555${String(index * 1000 + i).padStart(7, '0')}`;
    const contact = await api(server, token, 'POST', '/contacts/', { locationId: id, phone, firstName: `C${i}` });
    const conversation = await api(server, token, 'POST', '/conversations/', {
      locationId: id,
      contactId: contact.contact.id,
    });
    conversations.push(conversation.conversation.id);
  }
  return { token, conversations };
}

/**
 * One autocannon per server, each cycling through every location's conversations with that location's token. Server
 * `index` of `servers` starts its cycle that far along it, so the servers' loads do not run in step, both writing to
 * the same conversation at the same moment (and one waiting for the other's lock on it) on every request.
 */
function load(
  server: ServerProcess,
  targets: Target[],
  connections: number,
  seconds: number,
  index: number,
  servers: number,
) {
  const total = targets.length * CONVERSATIONS_PER_LOCATION;
  let next = Math.floor((total * index) / servers);
  const requests = targets.flatMap((target) =>
    target.conversations.map((conversationId) => ({ token: target.token, conversationId })),
  );
  // Interleaved, so consecutive requests go to different locations.
  const order = [...Array(requests.length).keys()].sort(
    (a, b) => (a % CONVERSATIONS_PER_LOCATION) - (b % CONVERSATIONS_PER_LOCATION) || a - b,
  );
  return new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url: server.url,
        connections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => {
              const chosen = requests[order[next++ % order.length] as number] as (typeof requests)[number];
              return {
                ...request,
                path: '/conversations/messages/inbound',
                headers: {
                  authorization: `Bearer ${chosen.token}`,
                  version: VERSION,
                  'content-type': 'application/json',
                },
                body: JSON.stringify({ type: 'SMS', conversationId: chosen.conversationId, message: `m${next}` }),
              };
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function runScale(options: {
  postgresUrl: string;
  dir: string;
  seconds: number;
  warmup: number;
  connections: number;
  /** Only these cells, as `<locations>x<servers>` (`10x2`); all four when null. */
  only: string[] | null;
}): Promise<ScaleResult[]> {
  const results: ScaleResult[] = [];
  for (const servers of [1, 2]) {
    for (const locations of [1, 10]) {
      if (options.only && !options.only.includes(`${locations}x${servers}`)) continue;
      const databaseUrl = await freshDatabase(options.postgresUrl, 'switchboard_bench_scale');
      const dataDir = path.join(options.dir, 'scale-data');
      fs.rmSync(dataDir, { recursive: true, force: true });
      const running: ServerProcess[] = [];
      try {
        // BENCH_CPU_PROF: each server writes a V8 CPU profile there, per cell, when it stops.
        const profile = process.env.BENCH_CPU_PROF
          ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF, `${locations}x${servers}`)}`]
          : [];
        for (let i = 0; i < servers; i++) running.push(await startSwitchboard(databaseUrl, dataDir, {}, profile));
        const first = running[0] as ServerProcess;
        const targets: Target[] = [];
        for (let i = 0; i < locations; i++) targets.push(await makeLocation(first, i));
        const perServer = Math.max(1, Math.round(options.connections / servers));
        await Promise.all(running.map((server, i) => load(server, targets, perServer, options.warmup, i, servers)));
        const { value: measured, costs } = await measureCosts(
          databaseUrl,
          running.map((server) => server.pid),
          () => Promise.all(running.map((server, i) => load(server, targets, perServer, options.seconds, i, servers))),
        );
        const ok = measured.reduce((sum, r) => sum + r['2xx'], 0);
        const failed = measured.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
        const seconds = Math.max(...measured.map((r) => r.duration));
        const result = {
          locations,
          servers,
          connections: perServer * servers,
          seconds,
          ok,
          failed,
          perSecond: Math.round((ok / seconds) * 10) / 10,
          perMessage: {
            serversCpuMs: perMessage(
              costs.serversCpuMs.reduce((sum, ms) => sum + ms, 0),
              ok,
            ),
            databaseCpuMs: perMessage(costs.databaseCpuMs, ok),
            loadGeneratorCpuMs: perMessage(costs.loadGeneratorCpuMs, ok),
            transactions: perMessage(costs.transactions, ok),
            statements: costs.statements === null ? null : perMessage(costs.statements, ok),
          },
        };
        const cost = result.perMessage;
        log(
          `inbound, ${locations} location(s), ${servers} server(s): ${result.perSecond} msg/s (${failed} failed); ` +
            `per message: CPU ms servers ${cost.serversCpuMs}, database ${cost.databaseCpuMs}, load ` +
            `${cost.loadGeneratorCpuMs}; ${cost.transactions} transactions, ${cost.statements ?? '?'} statements`,
        );
        results.push(result);
      } finally {
        await Promise.all(running.map((server) => server.stop()));
      }
    }
  }
  return results;
}
