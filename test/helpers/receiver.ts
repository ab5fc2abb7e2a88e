// A real HTTP receiver on 127.0.0.1 for webhooks and provider deliveries: it records every request (raw body
// included, for signature checks) and answers what the test tells it to.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The exact bytes received. */
  raw: Buffer;
  json: any;
}

/** What to answer: a status, optionally after doing something (a provider reporting before it answers). */
export type Responder = (request: ReceivedRequest, index: number) => number | Promise<number>;

export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  respond: Responder = () => 200;
  private waiters: { count: number; resolve: () => void }[] = [];

  private constructor(private readonly server: http.Server) {}

  static async start(respond?: Responder): Promise<Receiver> {
    let receiver: Receiver | undefined;
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', async () => {
        const raw = Buffer.concat(chunks);
        let json: unknown;
        try {
          json = JSON.parse(raw.toString('utf8'));
        } catch {
          json = undefined;
        }
        const received = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, raw, json };
        const self = receiver as Receiver;
        const index = self.requests.push(received) - 1;
        let status = 500;
        try {
          status = await self.respond(received, index);
        } finally {
          response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
          self.notify();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    receiver = new Receiver(server);
    if (respond) receiver.respond = respond;
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Requests whose JSON body has this `type` (webhooks), in arrival order. */
  ofType(type: string): ReceivedRequest[] {
    return this.requests.filter((request) => request.json?.type === type);
  }

  /** Resolves once `count` requests have been answered in all. */
  waitFor(count: number, timeoutMs = 5_000): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`receiver got ${this.requests.length} of ${count}`)), timeoutMs);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  private notify(): void {
    const ready = this.waiters.filter((waiter) => this.requests.length >= waiter.count);
    this.waiters = this.waiters.filter((waiter) => this.requests.length < waiter.count);
    for (const waiter of ready) waiter.resolve();
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let shared: Promise<Receiver> | undefined;

/** One receiver per test process that accepts everything: the delivery URL of providers a test does not watch. */
export function acceptingReceiver(): Promise<Receiver> {
  shared ??= Receiver.start();
  return shared;
}
