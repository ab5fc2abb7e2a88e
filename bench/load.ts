// One load: autocannon against a server for a fixed time, cycling through a list of requests, with latencies
// taken from every response (autocannon's own histogram rounds them to whole milliseconds).
import autocannon from 'autocannon';

export interface LoadRequest {
  path: string;
  body?: string;
}

export interface LoadSpec {
  method: 'GET' | 'POST';
  requests: LoadRequest[];
  headers: Record<string, string>;
  connections: number;
  seconds: number;
}

export interface LoadResult {
  connections: number;
  seconds: number;
  /** Responses with a 2xx status. */
  ok: number;
  non2xx: number;
  errors: number;
  perSecond: number;
  /** Latencies of 2xx responses, milliseconds. */
  p50: number;
  p99: number;
  mean: number;
  max: number;
  /** CPU of the measured server's process (every thread) per 2xx answer, microseconds, where it was read. */
  serverCpuUs?: number;
  /** CPU of this process (the load generator) per 2xx answer, microseconds, where it was read. */
  loadCpuUs?: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function runLoad(baseUrl: string, spec: LoadSpec): Promise<LoadResult> {
  if (spec.requests.length === 0) throw new Error('a load needs at least one request');
  let next = 0;
  const latencies: number[] = [];
  let finished: (result: autocannon.Result) => void = () => undefined;
  let failed: (error: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  const options: autocannon.Options = {
    url: baseUrl,
    connections: spec.connections,
    duration: spec.seconds,
    headers: spec.method === 'POST' ? { ...spec.headers, 'content-type': 'application/json' } : spec.headers,
    requests: [
      {
        method: spec.method,
        setupRequest: (request) => {
          const chosen = spec.requests[next++ % spec.requests.length] as LoadRequest;
          return { ...request, path: chosen.path, ...(chosen.body !== undefined ? { body: chosen.body } : {}) };
        },
      },
    ],
  };
  const instance = autocannon(options, (error, result) => (error ? failed(error) : finished(result)));
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const result = await done;
  const sorted = Float64Array.from(latencies).sort();
  const ok = result['2xx'];
  return {
    connections: spec.connections,
    seconds: result.duration,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    perSecond: round(ok / result.duration, 1),
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
    max: round(percentile(sorted, 100)),
  };
}

/**
 * A background load at an even pace: one request every 1/rate seconds, each sent on time whether or not the one
 * before has been answered (autocannon's overallRate sends each second's requests in a burst at its start).
 */
export async function runPaced(
  baseUrl: string,
  spec: Omit<LoadSpec, 'connections'> & { rate: number },
): Promise<{ sent: number; ok: number; perSecond: number }> {
  const interval = 1000 / spec.rate;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  let ok = 0;
  let sent = 0;
  while (performance.now() - started < spec.seconds * 1000) {
    const request = spec.requests[sent % spec.requests.length] as LoadRequest;
    sent++;
    pending.push(
      fetch(`${baseUrl}${request.path}`, {
        method: spec.method,
        headers: spec.method === 'POST' ? { ...spec.headers, 'content-type': 'application/json' } : spec.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
      })
        .then(async (response) => {
          await response.text();
          if (response.status < 300) ok++;
        })
        .catch(() => undefined),
    );
    const next = started + sent * interval;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
  }
  await Promise.all(pending);
  return { sent, ok, perSecond: round(ok / spec.seconds, 1) };
}
