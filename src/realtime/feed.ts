// One location's tail of the event log, shared by every stream of that location on this server: a wake-up (or
// the poll) makes one read of the log, and streams that are caught up take the new events from memory. A stream
// further behind than the buffer reaches reads the log itself.
import { type EventReader, READ_BATCH } from './event-reader.js';
import type { StoredEvent, TypingEvent } from './types.js';

const BUFFER_SIZE = 500;

export interface FeedSubscriber {
  /** New events are buffered: pull them. */
  kick(): void;
  /** Someone is typing in the location: show it now or never. */
  typing(event: TypingEvent): void;
  /** The last seq this subscriber has sent (or skipped). */
  readonly position: number;
}

export class LocationFeed {
  readonly subscribers = new Set<FeedSubscriber>();
  private buffer: StoredEvent[] = [];
  /** The last seq this feed has read; null until its first read. */
  private head: number | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  /** The newest seq the bus has announced for this location. */
  private announced = 0;

  constructor(
    readonly locationId: string,
    private readonly reader: EventReader,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Whether an event of `seq` may be news to this feed. */
  behind(seq: number): boolean {
    return this.head === null || seq > this.head;
  }

  /** The bus announced the location's log up to `seq`. */
  heard(seq: number): void {
    this.announced = Math.max(this.announced, seq);
  }

  /** The newest seq this server knows the location has: read by the feed, or announced on the bus. */
  get newest(): number {
    return Math.max(this.announced, this.head ?? 0);
  }

  /**
   * The buffered events after `cursor` (at most `limit`): [] when the stream has seen everything this feed has,
   * null when the buffer does not reach back to `cursor` (the stream reads the log itself).
   */
  after(cursor: number, limit = READ_BATCH): StoredEvent[] | null {
    if (this.head === null) return null;
    if (cursor >= this.head) return [];
    const first = this.buffer[0];
    if (!first || first.seq > cursor + 1) return null;
    const start = this.buffer.findIndex((event) => event.seq > cursor);
    return start < 0 ? [] : this.buffer.slice(start, start + limit);
  }

  /** Reads what the log has beyond this feed's head, once at a time; a call during a read asks for another. */
  refresh(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      let news = false;
      do {
        this.again = false;
        try {
          news = (await this.readNew()) || news;
        } catch (error) {
          this.onError(error);
        }
      } while (this.again);
      if (news) for (const subscriber of this.subscribers) subscriber.kick();
    })().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  private async readNew(): Promise<boolean> {
    // A new feed starts at the present: streams catching up on the past read the log directly.
    if (this.head === null) {
      this.head = await this.reader.head(this.locationId);
      return true;
    }
    let news = false;
    for (;;) {
      const events = await this.reader.after(this.locationId, this.head);
      const last = events.at(-1);
      if (!last) break;
      this.buffer.push(...events);
      if (this.buffer.length > BUFFER_SIZE) this.buffer = this.buffer.slice(-BUFFER_SIZE);
      this.head = last.seq;
      news = true;
      if (events.length < READ_BATCH) break;
    }
    return news;
  }
}
