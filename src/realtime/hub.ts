// The realtime hub of one server: told of committed domain events (it is an EventNotifier) and of typing, it
// passes both over the bus, and serves the streams of this server from the retained log. It also keeps the log
// bounded, by age and by count per location.
import type { FastifyReply } from 'fastify';
import type { RealtimeConfig } from '../config.js';
import type { Clock } from '../domain/clock.js';
import { EventNumbering } from '../events/numbering.js';
import type { DomainEvent, EventNotifier } from '../events/types.js';
import type { Store } from '../store/database.js';
import { deleteEventsBefore, deleteEventsBeyond, numbersAfterCommit } from '../store/repositories/events.js';
import { type EventBus, type RealtimeLogger, silentLogger } from './bus.js';
import { EventReader } from './event-reader.js';
import { LocationFeed } from './feed.js';
import { SseConnection } from './sse.js';
import { Subscription } from './subscription.js';
import type { BusMessage, StreamView, TypingEvent } from './types.js';
import { TypingTracker } from './typing.js';

export interface StreamRequest {
  locationId: string;
  /** The last event the client saw (Last-Event-ID); null for a new client. */
  lastEventId: number | null;
  /** Where a new client starts; the present when absent. */
  startAt?: number;
  /** false: send what is there after lastEventId, then end. */
  follow: boolean;
  view: StreamView;
  headers: Record<string, string>;
  /**
   * Whether the stream may go on: null while its credentials hold, else why not. Asked every `recheckMs`; a stream
   * that lost its right (token revoked, app uninstalled, location deleted) ends with an `end` frame saying why.
   */
  revoked?: () => Promise<string | null>;
}

export class RealtimeHub implements EventNotifier {
  private readonly reader: EventReader;
  private readonly feeds = new Map<string, LocationFeed>();
  private readonly connections = new Set<SseConnection>();
  private readonly typingTracker: TypingTracker;
  /** Locations this server wrote events for since the last prune: only they can have grown past the cap. */
  private readonly grown = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | null = null;
  private log: RealtimeLogger = silentLogger;
  /** PostgreSQL: numbers committed events, which then wake the streams. */
  private readonly numbering: EventNumbering | null;

  constructor(
    private readonly store: Store,
    readonly bus: EventBus,
    private readonly config: RealtimeConfig,
    private readonly clock: Clock,
  ) {
    this.reader = new EventReader(store);
    this.typingTracker = new TypingTracker((event) => this.deliverTyping(event), clock);
    this.numbering = numbersAfterCommit(store.engine)
      ? new EventNumbering(
          store,
          (locationId, head) => this.announce(locationId, head),
          (error, locationIds) => this.log.warn({ err: error, locationIds }, 'realtime: numbering events failed'),
        )
      : null;
  }

  async start(log: RealtimeLogger = silentLogger): Promise<void> {
    if (this.unsubscribe) return;
    this.log = log;
    this.unsubscribe = this.bus.subscribe((message) => this.receive(message));
    await this.bus.start(log);
    const poll = setInterval(() => {
      for (const feed of this.feeds.values()) void feed.refresh();
      this.numbering?.sweep().catch((error: unknown) => this.log.warn({ err: error }, 'realtime: numbering failed'));
    }, this.config.pollMs);
    const prune = setInterval(() => void this.prune(), this.config.pruneIntervalMs);
    for (const timer of [poll, prune]) timer.unref();
    this.timers.push(poll, prune);
  }

  /** Ends every stream (clients reconnect elsewhere with their Last-Event-ID), so the HTTP server can close. */
  closeStreams(): void {
    for (const connection of this.connections) connection.close();
  }

  async close(): Promise<void> {
    this.closeStreams();
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.typingTracker.close();
    this.numbering?.close();
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.bus.close();
  }

  /** EventNotifier: after a commit, wake every server's streams of the locations written to. */
  committed(events: DomainEvent[]): void {
    const heads = new Map<string, number>();
    for (const { locationId, seq } of events) {
      if (seq === null) void this.numbering?.settle(locationId);
      else heads.set(locationId, Math.max(seq, heads.get(locationId) ?? 0));
    }
    for (const [locationId, seq] of heads) this.announce(locationId, seq);
  }

  /** The location's log has grown up to `seq`: wake every server's streams of it. */
  private announce(locationId: string, seq: number): void {
    this.grown.add(locationId);
    this.bus.publish({ kind: 'events', locationId, seq });
  }

  publishTyping(event: Omit<TypingEvent, 'ttlMs' | 'at'>): TypingEvent {
    const typing: TypingEvent = { ...event, ttlMs: this.config.typingTtlMs, at: this.clock.now() };
    this.bus.publish({ kind: 'typing', event: typing });
    return typing;
  }

  /** Serves a stream on the reply (hijacked): replay after lastEventId, then live events until the client goes. */
  async stream(reply: FastifyReply, request: StreamRequest): Promise<void> {
    const { locationId } = request;
    const head = await this.reader.head(locationId);
    let cursor = request.lastEventId ?? request.startAt ?? head;
    reply.hijack();
    const connection = new SseConnection(reply.raw, { heartbeatMs: this.config.heartbeatMs, headers: request.headers });
    this.connections.add(connection);
    connection.onClose(() => this.connections.delete(connection));
    const onError = (error: unknown) => this.log.warn({ err: error, locationId }, 'realtime: stream failed');
    // HEAD (which Fastify answers for every GET route) gets the head of the stream, not a stream without a body.
    if (reply.request.method === 'HEAD') return connection.close();
    try {
      if (cursor > head) {
        // An id this location never reached (another database, or one restored from a backup): start afresh.
        await connection.send({ id: head, event: 'resync', data: { reason: 'unknown-id', from: cursor, to: head } });
        cursor = head;
      }
      await connection.send({ id: cursor, event: 'ready', data: { lastEventId: cursor } });
      if (request.revoked) this.watchCredentials(connection, request.revoked);
      if (request.follow) {
        this.follow(connection, new Subscription(locationId, cursor, connection, request.view, this.reader, onError));
      } else {
        await new Subscription(locationId, cursor, connection, request.view, this.reader, onError).pump();
        connection.close();
      }
    } catch (error) {
      // The response is ours now: a failure ends the stream, and the client resumes with its Last-Event-ID.
      onError(error);
      connection.close();
    }
  }

  /** Ends the stream, with a final `end` frame, once its credentials no longer hold. */
  private watchCredentials(connection: SseConnection, revoked: () => Promise<string | null>): void {
    let checking = false;
    const timer = setInterval(async () => {
      if (checking || connection.closed) return;
      checking = true;
      try {
        const reason = await revoked();
        if (reason === null || connection.closed) return;
        connection.offer({ event: 'end', data: { reason } });
        connection.close();
      } catch (error) {
        this.log.warn({ err: error }, 'realtime: checking the credentials of a stream failed');
      } finally {
        checking = false;
      }
    }, this.config.authRecheckMs);
    timer.unref();
    connection.onClose(() => clearInterval(timer));
  }

  private follow(connection: SseConnection, subscription: Subscription): void {
    const { locationId } = subscription;
    const feed = this.feedOf(locationId);
    subscription.follow(feed);
    feed.subscribers.add(subscription);
    connection.onClose(() => {
      feed.subscribers.delete(subscription);
      if (feed.subscribers.size === 0 && this.feeds.get(locationId) === feed) this.feeds.delete(locationId);
    });
    subscription.kick();
  }

  /** Open streams on this server (for tests and diagnostics). */
  get openStreams(): number {
    return this.connections.size;
  }

  /**
   * How far the following streams are behind the newest events this server knows of (metrics): the largest number of
   * events one stream has yet to send, and the sum over the streams.
   */
  streamLag(): { max: number; sum: number } {
    let max = 0;
    let sum = 0;
    for (const feed of this.feeds.values()) {
      for (const subscriber of feed.subscribers) {
        const behind = Math.max(0, feed.newest - subscriber.position);
        max = Math.max(max, behind);
        sum += behind;
      }
    }
    return { max, sum };
  }

  /** Prunes the retained log: everything older than the retention, and beyond the per-location cap. */
  async prune(): Promise<number> {
    let deleted = 0;
    try {
      deleted += await deleteEventsBefore(this.store.db, this.clock.now() - this.config.retentionMs);
      const locations = [...this.grown];
      this.grown.clear();
      for (const locationId of locations) {
        deleted += await deleteEventsBeyond(this.store.db, locationId, this.config.retentionEvents);
      }
    } catch (error) {
      this.log.warn({ err: error }, 'realtime: pruning the event log failed');
    }
    return deleted;
  }

  private feedOf(locationId: string): LocationFeed {
    let feed = this.feeds.get(locationId);
    if (!feed) {
      feed = new LocationFeed(locationId, this.reader, (error) =>
        this.log.warn({ err: error, locationId }, 'realtime: reading the event log failed'),
      );
      this.feeds.set(locationId, feed);
      void feed.refresh();
    }
    return feed;
  }

  private receive(message: BusMessage): void {
    switch (message.kind) {
      case 'events': {
        const feed = this.feeds.get(message.locationId);
        feed?.heard(message.seq);
        if (feed?.behind(message.seq)) void feed.refresh();
        return;
      }
      case 'typing':
        this.typingTracker.receive(message.event);
        return;
      case 'resumed':
        for (const feed of this.feeds.values()) void feed.refresh();
        return;
    }
  }

  private deliverTyping(event: TypingEvent): void {
    const feed = this.feeds.get(event.locationId);
    if (!feed) return;
    for (const subscriber of feed.subscribers) subscriber.typing(event);
  }
}
