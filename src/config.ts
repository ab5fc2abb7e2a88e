// Typed configuration, parsed once at start-up from the environment. Nothing else reads process.env.
import path from 'node:path';

export type DatabaseConfig =
  | { engine: 'sqlite'; file: string; synchronous: 'OFF' | 'NORMAL' | 'FULL' }
  | { engine: 'postgres'; url: string; schema?: string; poolSize: number };

export interface Config {
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  database: DatabaseConfig;
  /** Bearer token guarding /admin/v1; null means "generate one on first start and keep it". */
  adminToken: string | null;
  /** Search page size ceiling (BEHAVIOUR.md §7: default 20, decision: max 100). */
  searchMaxLimit: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Create the demo location and token on an empty database. */
  bootstrapDemo: boolean;
  /** Run the job loop (deliveries, scheduled sends) inside this server. */
  workerEnabled: boolean;
  workerPollMs: number;
  /** Domain of the Message-IDs and default sender of emails Switchboard sends. */
  emailDomain: string;
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const match = allowed.find((option) => option.toLowerCase() === raw.toLowerCase());
  if (!match) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  return match;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function parseDatabase(env: Env, dataDir: string): DatabaseConfig {
  const url = env.DATABASE_URL;
  const synchronous = oneOf(env, 'SQLITE_SYNCHRONOUS', ['OFF', 'NORMAL', 'FULL'] as const, 'FULL');
  if (url === undefined || url === '') {
    return { engine: 'sqlite', file: path.join(dataDir, 'switchboard.db'), synchronous };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a valid postgres:// URL');
    }
    return { engine: 'postgres', url, poolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 500) };
  }
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (file === '') throw new ConfigError('DATABASE_URL', 'names no SQLite file (use sqlite:./path/to.db)');
    return { engine: 'sqlite', file: file === ':memory:' ? file : path.resolve(file), synchronous };
  }
  throw new ConfigError('DATABASE_URL', `must start with postgres:// or sqlite:, got "${url}"`);
}

function parseEmailDomain(raw: string | undefined, publicUrl: string): string {
  const isDomain = (value: string) => /^[A-Za-z0-9.-]+$/.test(value);
  if (!raw) {
    // Derived from the public URL: an IPv6 literal host (HOST=::) is no domain name, and must not stop start-up.
    const host = new URL(publicUrl).hostname;
    return isDomain(host) ? host : 'localhost';
  }
  if (!isDomain(raw)) throw new ConfigError('EMAIL_DOMAIN', `is not a domain name, got "${raw}"`);
  return raw;
}

/** The public URL when PUBLIC_URL is unset: the listening address (with PORT=0, fixed once the port is known). */
export function defaultPublicUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function parsePublicUrl(env: Env, host: string, port: number): string {
  const raw = env.PUBLIC_URL;
  if (raw === undefined || raw === '') return defaultPublicUrl(host, port);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('PUBLIC_URL', `is not a valid URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('PUBLIC_URL', `must be an http:// or https:// URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

export function loadConfig(env: Env = process.env): Config {
  const host = env.HOST || '127.0.0.1';
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const dataDir = path.resolve(env.DATA_DIR || 'data');
  const publicUrl = parsePublicUrl(env, host, port);
  const adminToken = env.SWITCHBOARD_ADMIN_TOKEN || null;
  if (adminToken !== null && adminToken.length < 16) {
    throw new ConfigError('SWITCHBOARD_ADMIN_TOKEN', 'must be at least 16 characters long');
  }
  return {
    host,
    port,
    publicUrl,
    dataDir,
    database: parseDatabase(env, dataDir),
    adminToken,
    searchMaxLimit: integer(env, 'SEARCH_MAX_LIMIT', 100, 1, 1000),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    bootstrapDemo: flag(env, 'BOOTSTRAP_DEMO', true),
    workerEnabled: flag(env, 'WORKER_ENABLED', true),
    workerPollMs: integer(env, 'WORKER_POLL_MS', 500, 10, 60_000),
    emailDomain: parseEmailDomain(env.EMAIL_DOMAIN, publicUrl),
  };
}
