// The event bus between servers on one PostgreSQL database: NOTIFY to publish, one LISTEN connection per server
// to hear. Messages are wake-ups and typing signals only (the events themselves stay in the log), so a message
// lost while reconnecting delays a stream by at most one poll, and never loses an event.
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type pg from 'pg';
import { onFirstUse } from '../lazy-package.js';
import type { Database } from '../store/schema.js';
import { type BusListener, type EventBus, LocalListeners, type RealtimeLogger, silentLogger } from './bus.js';
import type { BusMessage } from './types.js';

const loadPg = onFirstUse<typeof pg>('pg');

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD = 7_900;

interface Envelope {
  /** The publishing server, which has delivered the message to its own listeners already. */
  o: string;
  m: BusMessage;
}

/** A channel name per database schema, so test schemas (or two Switchboards in one database) do not mix. */
export function channelFor(schema: string | undefined): string {
  return `switchboard_realtime_${(schema ?? 'public').toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

export class PostgresBus implements EventBus {
  readonly kind = 'postgres';
  private readonly origin = randomUUID();
  private readonly local = new LocalListeners();
  private client: pg.Client | null = null;
  private closed = false;
  private retryMs = 100;
  private retryTimer: NodeJS.Timeout | null = null;
  private log: RealtimeLogger = silentLogger;

  constructor(
    private readonly options: { url: string; channel: string },
    private readonly db: Kysely<Database>,
  ) {}

  async start(log: RealtimeLogger = silentLogger): Promise<void> {
    this.log = log;
    // The first connection must succeed: a server that cannot hear the others should not start.
    await this.connect();
  }

  publish(message: BusMessage): void {
    this.local.deliver(message);
    if (this.closed) return;
    const payload = JSON.stringify({ o: this.origin, m: message } satisfies Envelope);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD) {
      this.log.warn({ kind: message.kind }, 'realtime: bus message too large for NOTIFY, kept on this server');
      return;
    }
    sql`select pg_notify(${this.options.channel}, ${payload})`.execute(this.db).catch((error: unknown) => {
      // The other servers' streams pick the events up on their next poll.
      this.log.warn({ err: error }, 'realtime: NOTIFY failed');
    });
  }

  subscribe(listener: BusListener): () => void {
    return this.local.add(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new (loadPg().Client)({ connectionString: this.options.url });
    client.on('notification', (notification) => this.receive(notification));
    // An error is followed by 'end'; reconnecting happens there, once.
    client.on('error', (error) => this.log.warn({ err: error }, 'realtime: LISTEN connection failed'));
    client.on('end', () => this.lost(client));
    await client.connect();
    try {
      await client.query(`LISTEN ${client.escapeIdentifier(this.options.channel)}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = 100;
  }

  private receive(notification: pg.Notification): void {
    if (notification.channel !== this.options.channel || !notification.payload) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(notification.payload) as Envelope;
    } catch {
      return;
    }
    if (envelope.o !== this.origin && envelope.m && typeof envelope.m === 'object') this.local.deliver(envelope.m);
  }

  private lost(client: pg.Client): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(async () => {
      this.retryTimer = null;
      try {
        await this.connect();
        // Wake-ups published while this server was not listening are gone: have every stream read the log.
        this.local.deliver({ kind: 'resumed' });
      } catch (error) {
        this.log.warn({ err: error }, 'realtime: reconnecting LISTEN failed');
        this.retryMs = Math.min(this.retryMs * 2, 5_000);
        this.scheduleReconnect();
      }
    }, this.retryMs);
    this.retryTimer.unref();
  }
}
