// A server-sent events client for tests: reads a stream over fetch, parses its frames, and waits for events.
export interface SseEvent {
  id?: string;
  event: string;
  data: any;
}

export class SseStream {
  readonly events: SseEvent[] = [];
  comments = 0;
  ended = false;
  private buffer = '';
  private waiters: (() => void)[] = [];
  private readonly done: Promise<void>;

  private constructor(
    readonly status: number,
    readonly headers: Headers,
    body: ReadableStream<Uint8Array> | null,
    private readonly controller: AbortController,
  ) {
    this.done = this.read(body);
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
    const controller = new AbortController();
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    });
    if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
      const text = await response.text();
      throw Object.assign(new Error(`not a stream: ${response.status} ${text}`), { status: response.status, text });
    }
    return new SseStream(response.status, response.headers, response.body, controller);
  }

  /** Stored events only (with an id), ready and resync excepted. */
  get stored(): SseEvent[] {
    return this.events.filter((e) => e.id !== undefined && e.event !== 'ready' && e.event !== 'resync');
  }

  /** Waits until `predicate` holds for the events so far. */
  async until(predicate: (events: SseEvent[]) => boolean, timeoutMs = 10_000, what = 'events'): Promise<SseEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      if (this.ended) throw new Error(`stream ended before ${what}: ${JSON.stringify(this.events.map(summary))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(this.events.map(summary))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.events;
  }

  /** The first event of a type (after `from` events), once it has come. */
  async next(event: string, from = 0, timeoutMs = 10_000): Promise<SseEvent> {
    await this.until((events) => events.slice(from).some((e) => e.event === event), timeoutMs, event);
    return this.events.slice(from).find((e) => e.event === event) as SseEvent;
  }

  /** Resolves once the server has ended the response. */
  async end(timeoutMs = 10_000): Promise<void> {
    await Promise.race([
      this.done,
      new Promise((_, reject) => setTimeout(() => reject(new Error('stream did not end')), timeoutMs)),
    ]);
  }

  close(): void {
    this.controller.abort();
  }

  private async read(body: ReadableStream<Uint8Array> | null): Promise<void> {
    if (!body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        this.buffer += decoder.decode(chunk, { stream: true });
        this.parse();
      }
    } catch {
      // Aborted by close().
    } finally {
      this.ended = true;
      this.wake();
    }
  }

  private parse(): void {
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const frame: Partial<SseEvent> & { data?: string } = {};
      let comment = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) comment = true;
        const match = /^(\w+): ?(.*)$/.exec(line);
        if (!match) continue;
        const [, field, value] = match as unknown as [string, string, string];
        if (field === 'id') frame.id = value;
        if (field === 'event') frame.event = value;
        if (field === 'data') frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
      }
      if (frame.data !== undefined) {
        this.events.push({ ...frame, event: frame.event ?? 'message', data: JSON.parse(frame.data) } as SseEvent);
      } else if (comment) {
        this.comments += 1;
      }
    }
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

function summary(event: SseEvent) {
  return `${event.id ?? '-'}:${event.event}`;
}

/** The seq ids of stored events, as numbers. */
export const seqs = (events: SseEvent[]) => events.map((e) => Number(e.id));
