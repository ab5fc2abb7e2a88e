// Boots the real app on an ephemeral port against a real database, and talks to it over HTTP.
// Every response to a spec operation is validated against the official spec before the test sees it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/domain/clock.js';
import type { LogStream } from '../../src/http/logging.js';
import type { SpecName } from '../../src/http/openapi.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { openStore, type StoreOptions } from '../../src/store/database.js';
import { createTestDatabase, type EngineName, type TestDatabase } from './engines.js';
import { specErrors } from './spec-validator.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const VERSION = '2021-07-28';

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | string[] | undefined>;
  body?: unknown;
  headers?: Record<string, string | undefined>;
  /** Leave the response unvalidated (for routes outside the spec, or deliberately malformed requests). */
  raw?: boolean;
}

/** An operation of the spec, `spec:operationId`, or null for routes outside it (admin, health). */
export type Operation = `${SpecName}:${string}` | null;

export class SpecMismatch extends Error {}

export class Client {
  constructor(
    readonly baseUrl: string,
    private readonly headers: Record<string, string>,
  ) {}

  withHeaders(headers: Record<string, string>): Client {
    return new Client(this.baseUrl, { ...this.headers, ...headers });
  }

  async request<T = any>(
    method: string,
    operation: Operation,
    path: string,
    options: RequestOptions = {},
  ): Promise<Response<T>> {
    const url = new URL(path, this.baseUrl);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, item);
      else url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { ...this.headers };
    for (const [key, value] of Object.entries(options.headers ?? {})) {
      if (value === undefined) delete headers[key];
      else headers[key] = value;
    }
    let payload: string | undefined;
    if (options.body !== undefined) {
      payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(url, { method, headers, body: payload });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('application/json');
    const body = isJson && text ? JSON.parse(text) : text;
    if (operation && !options.raw) {
      const [spec, operationId] = operation.split(':') as [SpecName, string];
      const errors = specErrors(spec, operationId, response.status, body);
      if (errors.length > 0) {
        throw new SpecMismatch(
          `${method} ${path} → ${response.status} does not match ${operation}:\n  ${errors.join('\n  ')}\n${text}`,
        );
      }
    }
    return { status: response.status, body, headers: response.headers };
  }

  get<T = any>(operation: Operation, path: string, options?: RequestOptions) {
    return this.request<T>('GET', operation, path, options);
  }
  post<T = any>(operation: Operation, path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', operation, path, { ...options, body });
  }
  put<T = any>(operation: Operation, path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', operation, path, { ...options, body });
  }
  patch<T = any>(operation: Operation, path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', operation, path, { ...options, body });
  }
  delete<T = any>(operation: Operation, path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', operation, path, options);
  }
}

export interface Harness {
  engine: EngineName;
  /** The database this server runs on; pass it to another harness to restart on the same data. */
  database: TestDatabase;
  server: RunningServer;
  baseUrl: string;
  admin: Client;
  /** A client for a location token, sending the Version header HighLevel's SDK sends. */
  client(token: string): Client;
  close(): Promise<void>;
}

export async function startHarness(
  engine: EngineName,
  options: {
    clock?: Clock;
    env?: Record<string, string>;
    /** Run on this existing database (a restart); the caller owns it, so close() leaves it in place. */
    database?: TestDatabase;
    /** Leave the database in place on close(), for a later harness to reuse (the caller then drops it). */
    keepDatabase?: boolean;
    /** How the store is opened (a test's own WAL sync for group commit). */
    storeOptions?: StoreOptions;
    /** Where the server's log lines go (with env LOG_LEVEL set: the harness silences logs by default). */
    logStream?: LogStream;
  } = {},
): Promise<Harness> {
  const database = options.database ?? (await createTestDatabase(engine));
  const dropOnClose = !options.database && !options.keepDatabase;
  // Stored files go to a directory of this server's own, removed on close, unless the test names one.
  const dataDir = options.env?.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-data-'));
  const removeDataDir = async () => {
    if (!options.env?.DATA_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const config = {
    ...loadConfig({
      PORT: '0',
      LOG_LEVEL: 'silent',
      BOOTSTRAP_DEMO: 'false',
      DATA_DIR: dataDir,
      // Webhook receivers and provider delivery URLs in tests listen on loopback.
      OUTBOUND_ALLOWED_HOSTS: '127.0.0.1',
      // Rate limits would throttle the suites' bursts: tests of them turn them on (RATE_LIMIT_ENABLED: 'true').
      RATE_LIMIT_ENABLED: 'false',
      ...options.env,
    }),
    adminToken: ADMIN_TOKEN,
    database: database.config,
  };
  let server: RunningServer;
  try {
    server = await startServer(config, {
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.logStream ? { logStream: options.logStream } : {}),
      ...(options.storeOptions ? { store: openStore(database.config, options.storeOptions) } : {}),
    });
  } catch (error) {
    if (dropOnClose) await database.drop();
    await removeDataDir();
    throw error;
  }
  const baseUrl = server.url;
  return {
    engine,
    database,
    server,
    baseUrl,
    admin: new Client(baseUrl, { authorization: `Bearer ${ADMIN_TOKEN}` }),
    client: (token) => new Client(baseUrl, { authorization: `Bearer ${token}`, version: VERSION }),
    close: async () => {
      await server.close();
      if (dropOnClose) await database.drop();
      await removeDataDir();
    },
  };
}
