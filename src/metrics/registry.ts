// Prometheus metrics of one server (docs/operations.md#metrics): counters its parts bump as things happen, and gauges
// read at scrape time from where the numbers already live (the job table, the connection pool, the open streams).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** What became of one run of a job. */
export type JobOutcome = 'done' | 'retried' | 'dead' | 'postponed';
/** What became of one attempt to POST a webhook. */
export type WebhookAttemptOutcome = 'delivered' | 'failed' | 'dropped';
/** What a delivery adapter answered for an outbound message (`error`: it threw, and the job retries). */
export type MessageDeliveryOutcome = 'sent' | 'delivered' | 'failed' | 'error';

/** A reading taken at scrape time, setting gauges. */
export type Probe = () => Promise<void> | void;

let processRegistry: Registry | null = null;

/**
 * Node's own metrics (CPU, memory, event loop, GC) describe the process, not one app: collected once per process,
 * since each collection starts monitors that are never stopped (tests build many apps in one process).
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export class Metrics {
  private readonly registry = new Registry();
  private readonly probes: Probe[] = [];

  readonly httpRequests = new Counter({
    name: 'switchboard_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'switchboard_http_request_duration_seconds',
    help: 'Time from a request arriving to its answer being sent, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly jobRuns = new Counter({
    name: 'switchboard_job_runs_total',
    help: 'Job runs, by job kind and outcome (done, retried, dead, postponed)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly webhookAttempts = new Counter({
    name: 'switchboard_webhook_attempts_total',
    help: 'Webhook POSTs attempted, by outcome (delivered: a 2xx answer; failed: any other answer or none; dropped)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly messageDeliveries = new Counter({
    name: 'switchboard_message_deliveries_total',
    help: 'Outbound messages handed to their provider, by outcome (sent, delivered, failed, error: retried later)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  /** A gauge of this app's registry, set by a probe. */
  gauge<Label extends string = never>(options: { name: string; help: string; labelNames?: readonly Label[] }) {
    return new Gauge<Label>({ ...options, registers: [this.registry] });
  }

  /** Adds a reading taken at each scrape. */
  probe(probe: Probe): void {
    this.probes.push(probe);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text exposition format: this app's metrics, read now, then the process's. */
  async exposition(): Promise<string> {
    await Promise.all(this.probes.map((probe) => probe()));
    return `${await this.registry.metrics()}\n${await processMetrics().metrics()}`;
  }
}
