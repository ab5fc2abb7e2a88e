// The event bus port: how servers tell each other that a location has new events or that someone is typing.
// In-process by default; adapters (PostgreSQL LISTEN/NOTIFY) carry the same messages between servers.
import type { BusMessage } from './types.js';

export type BusListener = (message: BusMessage) => void;

/** The slice of Fastify's (pino) logger the realtime layer writes to. */
export interface RealtimeLogger {
  warn(details: object, message: string): void;
}

export const silentLogger: RealtimeLogger = { warn: () => undefined };

export interface EventBus {
  /** memory | postgres: for logs and the README. */
  readonly kind: string;
  start(log?: RealtimeLogger): Promise<void>;
  /** Delivers to this server's listeners at once, and to other servers' as soon as the adapter can. */
  publish(message: BusMessage): void;
  subscribe(listener: BusListener): () => void;
  close(): Promise<void>;
}

/** Listeners of one server; adapters build on it for local delivery. */
export class LocalListeners {
  private readonly listeners = new Set<BusListener>();

  add(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  deliver(message: BusMessage): void {
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch {
        // A listener's failure is its own (it logs); the others still hear the message.
      }
    }
  }
}

/** One server only: enough for SQLite, or for a single server on PostgreSQL. */
export class InProcessBus implements EventBus {
  readonly kind = 'memory';
  private readonly local = new LocalListeners();

  async start(): Promise<void> {}

  publish(message: BusMessage): void {
    this.local.deliver(message);
  }

  subscribe(listener: BusListener): () => void {
    return this.local.add(listener);
  }

  async close(): Promise<void> {}
}
