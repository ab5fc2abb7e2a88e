// Typed configuration, parsed once at start-up from the environment. Nothing else reads process.env.
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES } from './config-variables.js';

/**
 * SQLite durability. GROUP (the default): an acknowledged write is on disk, and concurrent writes share one fsync
 * that runs off the event loop (src/store/wal-sync.ts). FULL: SQLite fsyncs at every commit. NORMAL and OFF trade
 * the last writes before a power loss for speed.
 */
export type SqliteSynchronous = 'OFF' | 'NORMAL' | 'FULL' | 'GROUP';

export type DatabaseConfig =
  | { engine: 'sqlite'; file: string; synchronous: SqliteSynchronous }
  | { engine: 'postgres'; url: string; schema?: string; poolSize: number };

export interface Config {
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  database: DatabaseConfig;
  /** Bearer token guarding /admin/v1; null means "generate one on first start and keep it". */
  adminToken: string | null;
  /** The bearer token /metrics asks for; null: it is open. */
  metricsToken: string | null;
  /** Search page size ceiling (docs/behaviour.md#page-sizes: default 20, decision: max 100). */
  searchMaxLimit: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** JSON lines (for machines), or pino-pretty's coloured lines (for people at a terminal). */
  logFormat: 'json' | 'pretty';
  /** How long a stopping server goes on serving, unready, before it closes (SHUTDOWN_DRAIN_MS). */
  shutdownDrainMs: number;
  /** Create the demo location and token on an empty database. */
  bootstrapDemo: boolean;
  /** Run the job loop (deliveries, scheduled sends) inside this server. */
  workerEnabled: boolean;
  workerPollMs: number;
  jobs: { leaseMs: number; concurrency: number; perLocation: number };
  /** How long finished records are kept before housekeeping deletes them (src/jobs/housekeeping.ts). */
  retention: { jobsMs: number; webhookLogMs: number };
  /** Domain of the Message-IDs and default sender of emails Switchboard sends. */
  emailDomain: string;
  /** Built-in email goes out through this SMTP server (SMTP_URL); null: to the dev outbox. */
  smtp: SmtpConfig | null;
  /** The inbound email SMTP listener (SMTP_LISTEN_PORT); null: off. */
  smtpListen: SmtpListenConfig | null;
  files: FilesConfig;
  /** Where stored files' bytes live (BLOB_STORE_URL): a directory, or an S3 bucket shared by every server. */
  blobStore: BlobStoreConfig;
  outbound: OutboundConfig;
  realtime: RealtimeConfig;
  liveChat: LiveChatConfig;
  rateLimit: RateLimitConfig;
  sandbox: SandboxConfig;
  http: HttpLimitsConfig;
  /**
   * MCP_SANDBOX_TOOLS=on: the MCP server lists its sandbox tools (simulate an inbound message, read the dev outbox)
   * to every caller; otherwise only to requests that also carry the admin token (docs/mcp.md).
   */
  mcpSandboxTools: boolean;
}

/** The sandbox controls of docs/sandbox.md: the clock, the journal of API calls, and fixtures loaded at start-up. */
export interface SandboxConfig {
  /** CLOCK=virtual: server time moves only through POST /admin/v1/clock. */
  clock: 'real' | 'virtual';
  /** CLOCK_START: where a virtual clock starts (epoch ms); null: the real time at start-up. */
  clockStart: number | null;
  journal: JournalConfig;
  /** SNAPSHOT_FILES: snapshots restored at start-up when the database has no location yet. */
  snapshotFiles: string[];
  /** SNAPSHOT_MAX_BYTES: the largest snapshot restored, as uploaded and decompressed. */
  snapshotMaxBytes: number;
}

export interface JournalConfig {
  /** JOURNAL=on|off. */
  enabled: boolean;
  /** Request and response bodies are cut to this many bytes. */
  maxBodyBytes: number;
  /** The answer to a successful GET is cut to this many bytes (at most maxBodyBytes). */
  maxReadBodyBytes: number;
  retentionMs: number;
  /** A location keeps at most this many recorded requests. */
  maxRows: number;
  /** Recorded requests wait at most this long (or until a batch fills) before they are written. */
  flushMs: number;
}

/**
 * What one client may hold of the HTTP server (docs/security.md): how long a connection may idle or take to send its
 * request, how many connections are open at once, and how deeply a JSON body may nest.
 */
export interface HttpLimitsConfig {
  /** A connection with no traffic either way for this long is closed (event streams send heartbeats). */
  idleTimeoutMs: number;
  /** Between requests on a kept-alive connection. */
  keepAliveTimeoutMs: number;
  /** The request line and headers must arrive within this time… */
  headersTimeoutMs: number;
  /** …and the whole request, body included, within this one. */
  requestTimeoutMs: number;
  /** Connections beyond this many are refused as they arrive. */
  maxConnections: number;
  /** Arrays and objects nested deeper than this in any JSON input are refused before they are parsed. */
  maxJsonDepth: number;
}

/**
 * HighLevel's API rate limits (docs/behaviour.md#rate-limits), per app (or private token) per location; locations may
 * differ.
 */
export interface RateLimitConfig {
  /** RATE_LIMIT_ENABLED=false: no limits, no X-RateLimit-* headers (a sandbox that never throttles). */
  enabled: boolean;
  /** Requests per interval (the burst). */
  burstMax: number;
  intervalMs: number;
  /** Requests per UTC day. */
  dailyMax: number;
  /** Count in this Redis (redis://…), so every server shares one budget; null: in this process's memory. */
  redisUrl: string | null;
}

/** The realtime event stream: its bus between servers, heartbeats, and how much of the event log is retained. */
export interface RealtimeConfig {
  /** memory: this process only; postgres: LISTEN/NOTIFY between servers on one database; auto: postgres on it. */
  bus: 'auto' | 'memory' | 'postgres';
  heartbeatMs: number;
  /** Streams also look for new events this often, whatever the bus says (a lost wake-up only delays). */
  pollMs: number;
  /** Events older than this are pruned from the retained log… */
  retentionMs: number;
  /** …and a location keeps at most this many. */
  retentionEvents: number;
  pruneIntervalMs: number;
  /** An `isTyping: true` that is not renewed within this time turns false by itself. */
  typingTtlMs: number;
  /** How often an open stream's credentials are checked again: a revoked one ends its streams within this time. */
  authRecheckMs: number;
}

/** The live chat visitor API: visitors are untrusted, so their input is bounded and rate limited. */
export interface LiveChatConfig {
  maxMessageLength: number;
  /** Messages (and typing signals, five times as many) a visitor session may send per minute. */
  messagesPerMinute: number;
  /** Sessions one IP address may open per minute. */
  sessionsPerMinute: number;
  sessionTtlMs: number;
}

/** Stored files: upload limits (docs/behaviour.md#upload-limits), signing of upload URLs, and fetching remote files. */
export interface FilesConfig {
  maxFileBytes: number;
  maxFilesPerRequest: number;
  /** Direct uploads (initiate/complete) for channel WHATSAPP; other channels take maxFileBytes. */
  maxWhatsappBytes: number;
  /** HMAC key of signed upload URLs; null means "generate one on first start and keep it in the database". */
  signingSecret: string | null;
  /** Host names or IP addresses fetched even though private or loopback (tests allow 127.0.0.1). */
  fetchAllowedHosts: string[];
  /** A remote attachment must arrive within this time; a proxied recording may not stall longer. */
  fetchTimeoutMs: number;
  /** The largest remote recording proxied. */
  fetchMaxBytes: number;
}

/**
 * The blob store. file:DIR keeps bytes on this server's disk; s3://bucket[/prefix] in an S3 bucket (or an
 * S3-compatible server at AWS_ENDPOINT_URL_S3, addressed path-style), with the AWS SDK's variable names.
 */
export type BlobStoreConfig =
  | { kind: 'disk'; root: string }
  | {
      kind: 's3';
      bucket: string;
      /** Prepended to every object key: empty, or ending in '/'. */
      prefix: string;
      region: string;
      /** An S3-compatible server (MinIO, Ceph, s3rver…); null: AWS itself. */
      endpoint: string | null;
      /** Explicit keys; null: the SDK's default chain (instance or task role, shared profile). */
      credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | null;
    };

function parseHttpLimits(env: Env): HttpLimitsConfig {
  const requestTimeoutMs = integer(env, 'HTTP_REQUEST_TIMEOUT_MS', 120_000, 1_000, 3_600_000);
  const headersTimeoutMs = integer(env, 'HTTP_HEADERS_TIMEOUT_MS', 20_000, 1_000, 600_000);
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError('HTTP_HEADERS_TIMEOUT_MS', `must not exceed HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  }
  const idleTimeoutMs = integer(env, 'HTTP_IDLE_TIMEOUT_MS', 60_000, 1_000, 3_600_000);
  return {
    idleTimeoutMs,
    // A kept-alive connection is an idle one too, closed at HTTP_IDLE_TIMEOUT_MS: advertising a longer keep-alive
    // (Keep-Alive: timeout=…) would have clients send on connections the server is closing ("other side closed").
    keepAliveTimeoutMs: Math.min(integer(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 10_000, 100, 600_000), idleTimeoutMs),
    headersTimeoutMs,
    requestTimeoutMs,
    maxConnections: integer(env, 'HTTP_MAX_CONNECTIONS', 4_096, 1, 1_000_000),
    maxJsonDepth: integer(env, 'JSON_MAX_DEPTH', 64, 2, 1_000),
  };
}

/** An SMTP server to send through, from SMTP_URL (smtp://user:pass@host:port, smtps://… for implicit TLS). */
export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the first byte (smtps://); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  auth: { user: string; pass: string } | null;
  /** ?requireTLS=true: refuse to send unless STARTTLS succeeds. */
  requireTLS: boolean;
  /** ?rejectUnauthorized=false: accept a self-signed certificate (an internal relay). */
  rejectUnauthorized: boolean;
}

/** The inbound SMTP listener and the limits a real MTA would put on strangers (docs/security.md). */
export interface SmtpListenConfig {
  host: string;
  port: number;
  /** The largest message taken (announced in EHLO as SIZE). */
  maxBytes: number;
  /** Envelope recipients per message. */
  maxRecipients: number;
  /** Messages one client address may send per minute (a burst of as many). */
  messagesPerMinute: number;
  /** Connections open at once. */
  maxClients: number;
  /** SMTP_LISTEN_AUTH=user:password: senders must authenticate (AUTH PLAIN/LOGIN); null: anyone may send. */
  auth: { user: string; pass: string } | null;
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
  const synchronous = oneOf(env, 'SQLITE_SYNCHRONOUS', ['OFF', 'NORMAL', 'FULL', 'GROUP'] as const, 'GROUP');
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

/** Webhooks and custom provider deliveries: the HTTP requests Switchboard makes to URLs integrators register. */
export interface OutboundConfig {
  /** Host names or IP addresses posted to even though private or loopback (tests allow 127.0.0.1). */
  allowedHosts: string[];
  /** How long a receiver may take to answer before the attempt counts as failed. */
  timeoutMs: number;
}

function hostList(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((host) =>
      host
        .trim()
        .toLowerCase()
        .replace(/^\[(.*)\]$/, '$1'),
    )
    .filter(Boolean);
}

function parseOutbound(env: Env): OutboundConfig {
  return {
    allowedHosts: hostList(env, 'OUTBOUND_ALLOWED_HOSTS'),
    timeoutMs: integer(env, 'OUTBOUND_TIMEOUT_MS', 10_000, 100, 120_000),
  };
}

const MIB = 1024 * 1024;

function parseFiles(env: Env): FilesConfig {
  const signingSecret = env.FILE_SIGNING_SECRET || null;
  if (signingSecret !== null && signingSecret.length < 32) {
    throw new ConfigError('FILE_SIGNING_SECRET', 'must be at least 32 characters long');
  }
  const hosts = hostList(env, 'FETCH_ALLOWED_HOSTS');
  return {
    maxFileBytes: integer(env, 'UPLOAD_MAX_FILE_BYTES', 5 * MIB, 1, 1024 * MIB),
    maxFilesPerRequest: integer(env, 'UPLOAD_MAX_FILES', 5, 1, 100),
    maxWhatsappBytes: integer(env, 'UPLOAD_MAX_WHATSAPP_BYTES', 100 * MIB, 1, 4096 * MIB),
    signingSecret,
    fetchAllowedHosts: hosts,
    fetchTimeoutMs: integer(env, 'FETCH_TIMEOUT_MS', 30_000, 100, 600_000),
    fetchMaxBytes: integer(env, 'FETCH_MAX_BYTES', 100 * MIB, 1, 4096 * MIB),
  };
}

const HOUR = 3600 * 1000;

function parseBlobStore(env: Env, dataDir: string): BlobStoreConfig {
  const raw = env.BLOB_STORE_URL;
  if (raw === undefined || raw === '') return { kind: 'disk', root: path.join(dataDir, 'files') };
  if (raw.startsWith('file:')) {
    const dir = raw.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (dir === '') throw new ConfigError('BLOB_STORE_URL', 'names no directory (use file:./data/files)');
    return { kind: 'disk', root: path.resolve(dir) };
  }
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(raw);
  if (!match) {
    throw new ConfigError('BLOB_STORE_URL', `must be file:DIR or s3://bucket[/prefix], got "${raw}"`);
  }
  const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || null;
  if (endpoint !== null && !/^https?:\/\/[^/]+/.test(endpoint)) {
    throw new ConfigError('AWS_ENDPOINT_URL_S3', `must be an http:// or https:// URL, got "${endpoint}"`);
  }
  const accessKeyId = env.AWS_ACCESS_KEY_ID || '';
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY || '';
  if ((accessKeyId === '') !== (secretAccessKey === '')) {
    throw new ConfigError(accessKeyId ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID', 'must be set with its pair');
  }
  const sessionToken = env.AWS_SESSION_TOKEN || undefined;
  return {
    kind: 's3',
    bucket: match[1] as string,
    prefix: prefix === '' ? '' : `${prefix}/`,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    endpoint,
    credentials: accessKeyId ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : null,
  };
}

/**
 * An event stream that says nothing for HTTP_IDLE_TIMEOUT_MS is closed as idle, so its heartbeat must come sooner:
 * by default at most half the idle timeout; a heartbeat set at or beyond it would end every quiet stream.
 */
function parseHeartbeat(env: Env, idleTimeoutMs: number): number {
  const heartbeatMs = integer(
    env,
    'REALTIME_HEARTBEAT_MS',
    Math.min(15_000, Math.floor(idleTimeoutMs / 2)),
    100,
    300_000,
  );
  if (heartbeatMs >= idleTimeoutMs) {
    throw new ConfigError(
      'REALTIME_HEARTBEAT_MS',
      `must be below HTTP_IDLE_TIMEOUT_MS (${idleTimeoutMs}), or quiet event streams are closed as idle`,
    );
  }
  return heartbeatMs;
}

function parseRealtime(env: Env, http: HttpLimitsConfig): RealtimeConfig {
  return {
    bus: oneOf(env, 'REALTIME_BUS', ['auto', 'memory', 'postgres'] as const, 'auto'),
    heartbeatMs: parseHeartbeat(env, http.idleTimeoutMs),
    pollMs: integer(env, 'REALTIME_POLL_MS', 5_000, 50, 600_000),
    retentionMs: integer(env, 'REALTIME_RETENTION_HOURS', 72, 1, 24 * 365) * HOUR,
    retentionEvents: integer(env, 'REALTIME_RETENTION_EVENTS', 10_000, 10, 100_000_000),
    pruneIntervalMs: integer(env, 'REALTIME_PRUNE_INTERVAL_MS', 60_000, 100, 24 * HOUR),
    typingTtlMs: integer(env, 'TYPING_TTL_MS', 5_000, 100, 60_000),
    authRecheckMs: integer(env, 'REALTIME_AUTH_RECHECK_MS', 500, 50, 60_000),
  };
}

function parseLiveChat(env: Env): LiveChatConfig {
  return {
    maxMessageLength: integer(env, 'LIVE_CHAT_MAX_MESSAGE_LENGTH', 2_000, 1, 100_000),
    messagesPerMinute: integer(env, 'LIVE_CHAT_MESSAGES_PER_MINUTE', 30, 1, 100_000),
    sessionsPerMinute: integer(env, 'LIVE_CHAT_SESSIONS_PER_MINUTE', 10, 1, 100_000),
    sessionTtlMs: integer(env, 'LIVE_CHAT_SESSION_TTL_HOURS', 24 * 30, 1, 24 * 365) * HOUR,
  };
}

function parseRateLimit(env: Env): RateLimitConfig {
  const redisUrl = env.REDIS_URL || null;
  if (redisUrl !== null) {
    let url: URL;
    try {
      url = new URL(redisUrl);
    } catch {
      throw new ConfigError('REDIS_URL', `is not a valid URL, got "${redisUrl}"`);
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
      throw new ConfigError('REDIS_URL', 'must start with redis:// or rediss://');
    }
  }
  return {
    enabled: flag(env, 'RATE_LIMIT_ENABLED', true),
    burstMax: integer(env, 'RATE_LIMIT_BURST_MAX', 100, 1, 1_000_000),
    intervalMs: integer(env, 'RATE_LIMIT_INTERVAL_MS', 10_000, 100, 3_600_000),
    dailyMax: integer(env, 'RATE_LIMIT_DAILY_MAX', 200_000, 1, 1_000_000_000),
    redisUrl,
  };
}

function parseClockStart(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return null;
  const at = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isSafeInteger(at) || at < 0) {
    throw new ConfigError('CLOCK_START', `must be an ISO 8601 date or epoch milliseconds, got "${raw}"`);
  }
  return at;
}

/** Comma-separated snapshot files; each must be there at start-up, so a typo stops start-up rather than a fixture. */
function parseSnapshotFiles(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  const files = raw
    .split(',')
    .map((file) => file.trim())
    .filter((file) => file !== '');
  for (const file of files) {
    if (!fs.existsSync(file)) throw new ConfigError('SNAPSHOT_FILES', `names ${file}, which does not exist`);
  }
  return files;
}

function parseSandbox(env: Env): SandboxConfig {
  const clock = oneOf(env, 'CLOCK', ['real', 'virtual'] as const, 'real');
  const clockStart = parseClockStart(env.CLOCK_START);
  if (clockStart !== null && clock !== 'virtual') throw new ConfigError('CLOCK_START', 'needs CLOCK=virtual');
  return {
    clock,
    clockStart,
    journal: {
      enabled: flag(env, 'JOURNAL', true),
      maxBodyBytes: integer(env, 'JOURNAL_MAX_BODY_BYTES', 16 * 1024, 0, 16 * MIB),
      maxReadBodyBytes: integer(env, 'JOURNAL_MAX_READ_BODY_BYTES', 256, 0, 16 * MIB),
      retentionMs: integer(env, 'JOURNAL_RETENTION_HOURS', 24, 1, 24 * 365) * HOUR,
      maxRows: integer(env, 'JOURNAL_MAX_ROWS', 10_000, 1, 10_000_000),
      flushMs: integer(env, 'JOURNAL_FLUSH_MS', 200, 1, 60_000),
    },
    snapshotFiles: parseSnapshotFiles(env.SNAPSHOT_FILES),
    snapshotMaxBytes: integer(env, 'SNAPSHOT_MAX_BYTES', 1024 * MIB, 1, 1024 * 1024 * MIB),
  };
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

const SMTP_OPTIONS = ['requireTLS', 'rejectUnauthorized'] as const;

function parseSmtpUrl(raw: string | undefined): SmtpConfig | null {
  if (raw === undefined || raw === '') return null;
  const bad = (problem: string) => new ConfigError('SMTP_URL', problem);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw bad('is not a valid URL (smtp://user:pass@host:port or smtps://…)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw bad('must start with smtp:// or smtps://');
  if (url.hostname === '') throw bad('names no host');
  if (url.pathname !== '' && url.pathname !== '/') throw bad('must not have a path');
  const flags: Record<(typeof SMTP_OPTIONS)[number], boolean> = { requireTLS: false, rejectUnauthorized: true };
  for (const [key, value] of url.searchParams) {
    const option = SMTP_OPTIONS.find((name) => name === key);
    if (!option) throw bad(`has an unknown option "${key}" (known: ${SMTP_OPTIONS.join(', ')})`);
    if (value !== 'true' && value !== 'false') throw bad(`option ${key} must be true or false`);
    flags[option] = value === 'true';
  }
  if (url.port === '0') throw bad('must name a port between 1 and 65535');
  const secure = url.protocol === 'smtps:';
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw bad('has a badly percent-encoded user name or password');
    }
  };
  const user = decode(url.username);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? (secure ? 465 : 587) : Number(url.port),
    secure,
    auth: user === '' ? null : { user, pass: decode(url.password) },
    ...flags,
  };
}

function parseSmtpListenAuth(raw: string | undefined): SmtpListenConfig['auth'] {
  if (raw === undefined || raw === '') return null;
  const colon = raw.indexOf(':');
  if (colon <= 0 || colon === raw.length - 1) throw new ConfigError('SMTP_LISTEN_AUTH', 'must be user:password');
  return { user: raw.slice(0, colon), pass: raw.slice(colon + 1) };
}

function parseSmtpListen(env: Env, host: string): SmtpListenConfig | null {
  if (env.SMTP_LISTEN_PORT === undefined || env.SMTP_LISTEN_PORT === '') return null;
  return {
    host: env.SMTP_LISTEN_HOST || host,
    port: integer(env, 'SMTP_LISTEN_PORT', 0, 0, 65535),
    // 25 MB of attachments grow by a third in base64, plus the rest of the message.
    maxBytes: integer(env, 'SMTP_LISTEN_MAX_BYTES', 36 * MIB, 1024, 1024 * MIB),
    maxRecipients: integer(env, 'SMTP_LISTEN_MAX_RECIPIENTS', 50, 1, 10_000),
    messagesPerMinute: integer(env, 'SMTP_LISTEN_MESSAGES_PER_MINUTE', 60, 1, 1_000_000),
    maxClients: integer(env, 'SMTP_LISTEN_MAX_CLIENTS', 100, 1, 100_000),
    auth: parseSmtpListenAuth(env.SMTP_LISTEN_AUTH),
  };
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

const DECLARED = new Set(CONFIG_VARIABLES.map((variable) => variable.name));

/**
 * The environment as loadConfig may see it: reading a variable that src/config-variables.ts does not declare is a
 * programming error, so `--help` can never fall behind what the server reads.
 */
export function declaredOnly(env: Env): Env {
  return new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string' && !DECLARED.has(name)) {
        throw new Error(`Configuration variable ${name} is read but not declared in src/config-variables.ts`);
      }
      return Reflect.get(target, name);
    },
  });
}

export function loadConfig(rawEnv: Env = process.env): Config {
  const env = declaredOnly(rawEnv);
  const host = env.HOST || '127.0.0.1';
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const dataDir = path.resolve(env.DATA_DIR || 'data');
  const publicUrl = parsePublicUrl(env, host, port);
  const adminToken = env.SWITCHBOARD_ADMIN_TOKEN || null;
  if (adminToken !== null && adminToken.length < 16) {
    throw new ConfigError('SWITCHBOARD_ADMIN_TOKEN', 'must be at least 16 characters long');
  }
  const metricsToken = env.METRICS_TOKEN || null;
  if (metricsToken !== null && metricsToken.length < 16) {
    throw new ConfigError('METRICS_TOKEN', 'must be at least 16 characters long');
  }
  const http = parseHttpLimits(env);
  return {
    host,
    port,
    publicUrl,
    dataDir,
    database: parseDatabase(env, dataDir),
    adminToken,
    metricsToken,
    searchMaxLimit: integer(env, 'SEARCH_MAX_LIMIT', 100, 1, 1000),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    logFormat: oneOf(env, 'LOG_FORMAT', ['json', 'pretty'] as const, 'json'),
    shutdownDrainMs: integer(env, 'SHUTDOWN_DRAIN_MS', 0, 0, 600_000),
    bootstrapDemo: flag(env, 'BOOTSTRAP_DEMO', true),
    mcpSandboxTools: flag(env, 'MCP_SANDBOX_TOOLS', false),
    workerEnabled: flag(env, 'WORKER_ENABLED', true),
    workerPollMs: integer(env, 'WORKER_POLL_MS', 500, 10, 60_000),
    jobs: {
      leaseMs: integer(env, 'JOB_LEASE_MS', 30_000, 1_000, 3_600_000),
      concurrency: integer(env, 'JOB_CONCURRENCY', 16, 1, 1_000),
      perLocation: integer(env, 'JOB_CONCURRENCY_PER_LOCATION', 4, 1, 1_000),
    },
    retention: {
      jobsMs: integer(env, 'JOB_RETENTION_HOURS', 168, 1, 24 * 3650) * HOUR,
      webhookLogMs: integer(env, 'WEBHOOK_LOG_RETENTION_HOURS', 168, 1, 24 * 3650) * HOUR,
    },
    emailDomain: parseEmailDomain(env.EMAIL_DOMAIN, publicUrl),
    files: parseFiles(env),
    blobStore: parseBlobStore(env, dataDir),
    outbound: parseOutbound(env),
    realtime: parseRealtime(env, http),
    liveChat: parseLiveChat(env),
    rateLimit: parseRateLimit(env),
    http,
    smtp: parseSmtpUrl(env.SMTP_URL),
    smtpListen: parseSmtpListen(env, host),
    sandbox: parseSandbox(env),
  };
}
