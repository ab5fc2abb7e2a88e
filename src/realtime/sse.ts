// One server-sent events response: the head, frames, heartbeat comments, and back-pressure. Stored events wait
// for a slow client to drain (they are read from the log, so nothing piles up in memory); ephemeral ones are
// dropped instead.
import type { ServerResponse } from 'node:http';
import type { SseFrame } from './types.js';

export interface SseOptions {
  heartbeatMs: number;
  /** Extra response headers: the trace id, CORS. */
  headers: Record<string, string>;
  /** How long a browser waits before reconnecting (the `retry:` field). */
  retryMs?: number;
}

export function formatFrame(frame: SseFrame): string {
  // JSON.stringify escapes line breaks, so the data is one `data:` line; event names are ours.
  const id = frame.id === undefined ? '' : `id: ${frame.id}\n`;
  return `${id}event: ${frame.event}\ndata: ${JSON.stringify(frame.data)}\n\n`;
}

export class SseConnection {
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly closeHandlers: (() => void)[] = [];
  closed = false;

  constructor(
    private readonly response: ServerResponse,
    options: SseOptions,
  ) {
    response.writeHead(200, {
      ...options.headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Proxies (nginx) must pass each frame on as it comes.
      'x-accel-buffering': 'no',
    });
    response.write(`retry: ${options.retryMs ?? 2000}\n\n`);
    response.on('close', () => this.finish());
    // A client that vanished mid-write is a closed stream, not a process-wide error.
    response.on('error', () => this.finish());
    this.heartbeat = setInterval(() => this.comment('heartbeat'), options.heartbeatMs);
    this.heartbeat.unref();
  }

  onClose(handler: () => void): void {
    if (this.closed) handler();
    else this.closeHandlers.push(handler);
  }

  /** Writes a frame, waiting while the client is slow to read; false once the client has gone. */
  async send(frame: SseFrame): Promise<boolean> {
    if (this.closed) return false;
    if (this.response.write(formatFrame(frame))) return true;
    return new Promise<boolean>((resolve) => {
      const done = () => {
        this.response.off('drain', done);
        this.response.off('close', done);
        resolve(!this.closed);
      };
      this.response.on('drain', done);
      this.response.on('close', done);
    });
  }

  /** Writes an ephemeral frame unless the client is behind: a stale typing indicator is worse than none. */
  offer(frame: SseFrame): void {
    if (!this.closed && !this.response.writableNeedDrain) this.response.write(formatFrame(frame));
  }

  comment(text: string): void {
    if (!this.closed && !this.response.writableNeedDrain) this.response.write(`: ${text}\n\n`);
  }

  close(): void {
    if (!this.closed) this.response.end();
    this.finish();
  }

  private finish(): void {
    if (this.closed && this.heartbeat === null) return;
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    for (const handler of this.closeHandlers.splice(0)) handler();
  }
}
