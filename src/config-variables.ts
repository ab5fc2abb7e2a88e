// Every environment variable Switchboard reads, with its default and meaning: the one list that `--help` prints and
// that loadConfig (src/config.ts) may read from. test/unit/config-variables.test.ts fails when the two disagree.

export interface ConfigVariable {
  name: string;
  /** The value used when the variable is unset, as a person would write it; '' when there is none. */
  fallback: string;
  description: string;
}

export interface ConfigSection {
  title: string;
  variables: readonly ConfigVariable[];
}

const v = (name: string, fallback: string, description: string): ConfigVariable => ({ name, fallback, description });

export const CONFIG_SECTIONS: readonly ConfigSection[] = [
  {
    title: 'Server',
    variables: [
      v('HOST', '127.0.0.1', 'address to listen on'),
      v('PORT', '8080', 'port to listen on (0: any free port)'),
      v('PUBLIC_URL', 'http://HOST:PORT', 'the URL clients reach this server at (links, signed URLs, OAuth)'),
      v('DATA_DIR', './data', 'folder for the SQLite database and stored files'),
      v('SWITCHBOARD_ADMIN_TOKEN', 'generated and kept', 'bearer token of the admin API (at least 16 characters)'),
      v('LOG_LEVEL', 'info', 'fatal, error, warn, info, debug, trace or silent'),
      v('LOG_FORMAT', 'json', 'json (one JSON object a line, for machines) or pretty (for people at a terminal)'),
      v(
        'SHUTDOWN_DRAIN_MS',
        '0',
        'on SIGTERM, keep serving this long with /readyz at 503 (so load balancers stop sending) before closing',
      ),
      v('METRICS_TOKEN', 'unset (open)', 'bearer token a scrape of /metrics must carry (at least 16 characters)'),
      v('BOOTSTRAP_DEMO', 'true', 'create a demo location and token on an empty database'),
      v('SEARCH_MAX_LIMIT', '100', 'largest page size of the conversation search'),
    ],
  },
  {
    title: 'HTTP limits',
    variables: [
      v('HTTP_IDLE_TIMEOUT_MS', '60000', 'close a connection silent this long either way'),
      v(
        'HTTP_KEEP_ALIVE_TIMEOUT_MS',
        '10000',
        'close a kept-alive connection idle this long between requests (at most HTTP_IDLE_TIMEOUT_MS)',
      ),
      v('HTTP_HEADERS_TIMEOUT_MS', '20000', 'time a client has to send the request line and headers'),
      v('HTTP_REQUEST_TIMEOUT_MS', '120000', 'time a client has to send the whole request, body included'),
      v('HTTP_MAX_CONNECTIONS', '4096', 'connections open at once; more are refused as they arrive'),
      v('JSON_MAX_DEPTH', '64', 'deepest nesting of arrays and objects in JSON input'),
    ],
  },
  {
    title: 'Database',
    variables: [
      v('DATABASE_URL', 'SQLite in DATA_DIR', 'postgres://… or sqlite:./path/to.db'),
      v('DATABASE_POOL_SIZE', '10', 'PostgreSQL connections per server'),
      v('SQLITE_SYNCHRONOUS', 'GROUP', 'SQLite durability: GROUP (shared fsync before answering), FULL, NORMAL or OFF'),
    ],
  },
  {
    title: 'Jobs',
    variables: [
      v('WORKER_ENABLED', 'true', 'run deliveries, scheduled sends and webhooks in this server'),
      v('WORKER_POLL_MS', '500', 'how often the job runner looks for due jobs'),
      v('JOB_LEASE_MS', '30000', 'how long a claimed job is held; renewed while it runs'),
      v('JOB_CONCURRENCY', '16', 'jobs one server runs at once'),
      v('JOB_CONCURRENCY_PER_LOCATION', '4', 'of which at most this many for one location'),
      v('JOB_RETENTION_HOURS', '168', 'finished jobs (done, dead, cancelled) are deleted this long after they end'),
      v(
        'WEBHOOK_LOG_RETENTION_HOURS',
        '168',
        'delivered and dead webhook deliveries (and their attempts) are kept this long',
      ),
    ],
  },
  {
    title: 'Email',
    variables: [
      v('EMAIL_DOMAIN', 'host of PUBLIC_URL', 'domain of Message-IDs and of the default sender'),
      v('SMTP_URL', 'dev outbox', 'send email through smtp://user:pass@host:port or smtps://…'),
      v('SMTP_LISTEN_PORT', 'off', 'port of the inbound email SMTP listener'),
      v('SMTP_LISTEN_HOST', 'HOST', 'address of the inbound email SMTP listener'),
      v('SMTP_LISTEN_MAX_BYTES', '37748736', 'largest message the inbound listener takes (36 MiB)'),
      v('SMTP_LISTEN_MAX_RECIPIENTS', '50', 'envelope recipients per inbound message'),
      v('SMTP_LISTEN_MESSAGES_PER_MINUTE', '60', 'inbound messages one client address may send per minute'),
      v('SMTP_LISTEN_MAX_CLIENTS', '100', 'inbound SMTP connections open at once'),
      v('SMTP_LISTEN_AUTH', 'off', 'user:password senders must AUTH with (PLAIN or LOGIN); off: anyone may send'),
    ],
  },
  {
    title: 'Files',
    variables: [
      v('UPLOAD_MAX_FILE_BYTES', '5242880', 'largest uploaded file'),
      v('UPLOAD_MAX_FILES', '5', 'files per upload request'),
      v('UPLOAD_MAX_WHATSAPP_BYTES', '104857600', 'largest direct upload for WhatsApp'),
      v('FILE_SIGNING_SECRET', 'generated and kept', 'HMAC key of signed upload URLs (at least 32 characters)'),
      v('FETCH_ALLOWED_HOSTS', '', 'private or loopback hosts that attachments may still be fetched from'),
      v('FETCH_TIMEOUT_MS', '30000', 'time a remote attachment or recording may take to arrive'),
      v('FETCH_MAX_BYTES', '104857600', 'largest remote recording proxied'),
    ],
  },
  {
    title: 'Blob store (docs/operations.md)',
    variables: [
      v('BLOB_STORE_URL', 'file:DATA_DIR/files', 'where file bytes live: file:./dir, or s3://bucket[/prefix]'),
      v('AWS_REGION', 'us-east-1', 'region of the S3 bucket (AWS_DEFAULT_REGION is read too)'),
      v('AWS_DEFAULT_REGION', '', 'read when AWS_REGION is unset'),
      v('AWS_ACCESS_KEY_ID', "the SDK's default chain", 'S3 access key (with AWS_SECRET_ACCESS_KEY)'),
      v('AWS_SECRET_ACCESS_KEY', '', 'S3 secret key'),
      v('AWS_SESSION_TOKEN', '', 'S3 session token of temporary credentials'),
      v('AWS_ENDPOINT_URL_S3', 'AWS', 'an S3-compatible server (MinIO, Ceph…), addressed path-style'),
      v('AWS_ENDPOINT_URL', '', 'read when AWS_ENDPOINT_URL_S3 is unset'),
    ],
  },
  {
    title: 'Webhooks and providers',
    variables: [
      v('OUTBOUND_ALLOWED_HOSTS', '', 'private or loopback hosts that webhooks and providers may still be posted to'),
      v('OUTBOUND_TIMEOUT_MS', '10000', 'time a receiver may take to answer'),
    ],
  },
  {
    title: 'Realtime',
    variables: [
      v('REALTIME_BUS', 'auto', 'memory, postgres (LISTEN/NOTIFY between servers) or auto'),
      v(
        'REALTIME_HEARTBEAT_MS',
        '15000',
        'heartbeat interval of event streams; below HTTP_IDLE_TIMEOUT_MS (unset: at most half of it)',
      ),
      v('REALTIME_POLL_MS', '5000', 'streams also look for new events this often'),
      v('REALTIME_RETENTION_HOURS', '72', 'events older than this are pruned'),
      v('REALTIME_RETENTION_EVENTS', '10000', 'events a location keeps at most'),
      v('REALTIME_PRUNE_INTERVAL_MS', '60000', 'how often old events are pruned'),
      v('TYPING_TTL_MS', '5000', 'a typing signal not renewed within this time ends'),
      v('REALTIME_AUTH_RECHECK_MS', '500', 'how often open event streams check their token still holds'),
    ],
  },
  {
    title: 'Live chat',
    variables: [
      v('LIVE_CHAT_MAX_MESSAGE_LENGTH', '2000', 'longest visitor message'),
      v('LIVE_CHAT_MESSAGES_PER_MINUTE', '30', 'messages a visitor session may send per minute'),
      v('LIVE_CHAT_SESSIONS_PER_MINUTE', '10', 'visitor sessions one IP address may open per minute'),
      v('LIVE_CHAT_SESSION_TTL_HOURS', '720', 'lifetime of a visitor session'),
    ],
  },
  {
    title: 'Rate limits',
    variables: [
      v('RATE_LIMIT_ENABLED', 'true', "HighLevel's per-app, per-location limits and X-RateLimit-* headers"),
      v('RATE_LIMIT_BURST_MAX', '100', 'requests per interval'),
      v('RATE_LIMIT_INTERVAL_MS', '10000', 'the burst interval'),
      v('RATE_LIMIT_DAILY_MAX', '200000', 'requests per UTC day'),
      v('REDIS_URL', 'in memory', 'redis://… so that every server shares one budget'),
    ],
  },
  {
    title: 'Sandbox (docs/sandbox.md)',
    variables: [
      v('CLOCK', 'real', 'virtual: server time moves only through POST /admin/v1/clock'),
      v('CLOCK_START', 'the time at start-up', 'where a virtual clock starts (ISO 8601 or epoch milliseconds)'),
      v('JOURNAL', 'on', 'record every public API call for GET /admin/v1/locations/{id}/requests'),
      v('JOURNAL_MAX_BODY_BYTES', '16384', 'request and response bodies are cut to this many bytes'),
      v(
        'JOURNAL_MAX_READ_BODY_BYTES',
        '256',
        'the answer to a successful GET is cut to this many bytes (or JOURNAL_MAX_BODY_BYTES, if smaller)',
      ),
      v('JOURNAL_RETENTION_HOURS', '24', 'recorded calls older than this are pruned'),
      v('JOURNAL_MAX_ROWS', '10000', 'recorded calls kept per location'),
      v('JOURNAL_FLUSH_MS', '200', 'longest a recorded call waits before its batch is written'),
      v(
        'SNAPSHOT_FILES',
        '',
        'snapshot files (comma-separated) restored at start-up into a database without locations',
      ),
      v('SNAPSHOT_MAX_BYTES', '1073741824', 'the largest snapshot restored, compressed and decompressed (bytes)'),
    ],
  },
  {
    title: 'MCP server (docs/mcp.md)',
    variables: [
      v('MCP_SANDBOX_TOOLS', 'off', 'on: every /mcp/ caller gets the sandbox tools (inbound message, dev outbox)'),
    ],
  },
];

export const CONFIG_VARIABLES: readonly ConfigVariable[] = CONFIG_SECTIONS.flatMap((section) => section.variables);

/** The configuration part of `switchboard --help`: every variable, its default and meaning, by section. */
export function describeConfiguration(): string {
  const width = Math.max(...CONFIG_VARIABLES.map((variable) => variable.name.length)) + 2;
  const lines = ['Configuration comes from the environment:'];
  for (const section of CONFIG_SECTIONS) {
    lines.push('', `  ${section.title}`);
    for (const variable of section.variables) {
      const fallback = variable.fallback === '' ? '' : ` (default: ${variable.fallback})`;
      lines.push(`    ${variable.name.padEnd(width)}${variable.description}${fallback}`);
    }
  }
  return lines.join('\n');
}
