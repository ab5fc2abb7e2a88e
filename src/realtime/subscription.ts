// One stream's position in its location's log: it replays what the client missed (from the log, or from the
// feed's buffer once close enough), then follows live events, in seq order, each once. A jump in the numbers
// means the retained log no longer holds what the client missed: the stream says so with a `resync` frame.
import type { EventReader } from './event-reader.js';
import type { FeedSubscriber, LocationFeed } from './feed.js';
import type { SseConnection } from './sse.js';
import type { StoredEvent, StreamView, TypingEvent } from './types.js';

export class Subscription implements FeedSubscriber {
  private pumping: Promise<void> | null = null;
  private again = false;
  /** The live feed this stream follows; none for a stream that ends once caught up. */
  private feed: LocationFeed | null = null;

  constructor(
    readonly locationId: string,
    private cursor: number,
    private readonly connection: SseConnection,
    private readonly view: StreamView,
    private readonly reader: EventReader,
    private readonly onError: (error: unknown) => void,
  ) {}

  follow(feed: LocationFeed): void {
    this.feed = feed;
  }

  get position(): number {
    return this.cursor;
  }

  kick(): void {
    void this.pump();
  }

  /** Delivers everything after the cursor that is there now; resolves once caught up (or closed). */
  pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      do {
        this.again = false;
        try {
          await this.deliverAvailable();
        } catch (error) {
          this.onError(error);
          this.connection.close();
        }
      } while (this.again && !this.connection.closed);
    })().finally(() => {
      this.pumping = null;
    });
    return this.pumping;
  }

  typing(event: TypingEvent): void {
    const frame = this.view.typing(event);
    if (frame) this.connection.offer(frame);
  }

  private async deliverAvailable(): Promise<void> {
    while (!this.connection.closed) {
      const buffered = this.feed?.after(this.cursor);
      const events = buffered ?? (await this.reader.after(this.locationId, this.cursor));
      if (events.length === 0) {
        if (!buffered) await this.skipPruned();
        return;
      }
      for (const event of events) if (!(await this.deliver(event))) return;
    }
  }

  private async deliver(event: StoredEvent): Promise<boolean> {
    if (event.seq <= this.cursor) return true;
    if (event.seq > this.cursor + 1 && !(await this.resync(event.seq - 1))) return false;
    const frame = this.view.event(event);
    // A hidden event still moves the cursor: the client resumes from the last event it saw, and sees none twice.
    if (frame && !(await this.connection.send(frame))) return false;
    this.cursor = event.seq;
    return true;
  }

  /** Nothing after the cursor in the log: either caught up, or what follows was pruned. */
  private async skipPruned(): Promise<void> {
    const head = await this.reader.head(this.locationId);
    if (head <= this.cursor) return;
    // Read after the head, so an event committed in between cannot pass for a pruned one.
    const next = await this.reader.after(this.locationId, this.cursor, 1);
    if (next.length === 0) await this.resync(head);
    else this.again = true;
  }

  private async resync(upTo: number): Promise<boolean> {
    const from = this.cursor + 1;
    this.cursor = upTo;
    return this.connection.send({ id: upTo, event: 'resync', data: { reason: 'retention', from, to: upTo } });
  }
}
