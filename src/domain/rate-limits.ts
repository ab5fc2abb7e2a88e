// HighLevel's API rate limits (docs/behaviour.md#rate-limits): a burst window and a daily budget per app (or private
// token) per location, each location's limits configurable (or off), counted by the rate counter port (memory or
// Redis).
import type { RateLimitConfig } from '../config.js';
import { burstWindow, DAY_MS, dayWindow, type RateCounter, type Usage, type WindowLimits } from '../ratelimit/port.js';
import type { Store } from '../store/database.js';
import { findLocation } from '../store/repositories/locations.js';
import {
  deleteLocationRateLimit,
  findLocationRateLimit,
  type LocationRateLimitRow,
  putLocationRateLimit,
} from '../store/repositories/rate-limits.js';
import type { Clock } from './clock.js';
import { notFound } from './errors.js';

export interface LocationRateLimit extends WindowLimits {
  enabled: boolean;
  /** Whether the location has limits of its own (else the configured defaults apply). */
  custom: boolean;
}

export type RateLimitInput = Partial<{ enabled: boolean; burstMax: number; intervalMs: number; dailyMax: number }>;

/** The outcome for one request: the limits that applied and the counts after it. */
export interface RateDecision {
  limits: WindowLimits;
  usage: Usage;
  /** When the window that refused it opens again (epoch ms), for a refused request. */
  retryAt: number;
}

/** Settings read from the database are trusted this long (another server's change shows within it). */
const SETTINGS_TTL_MS = 5000;
const SETTINGS_CACHE_SIZE = 10_000;

export interface RateLimitLog {
  warn(details: object, message: string): void;
}

export class RateLimitService {
  private log: RateLimitLog | null = null;
  private lastError = Number.NEGATIVE_INFINITY;
  private readonly settings = new Map<string, { limits: LocationRateLimit; until: number }>();

  constructor(private readonly deps: { store: Store; clock: Clock; config: RateLimitConfig; counter: RateCounter }) {}

  now(): number {
    return this.deps.clock.now();
  }

  /** Whether limits apply at all (RATE_LIMIT_ENABLED). */
  get enabled(): boolean {
    return this.deps.config.enabled;
  }

  private resolve(row: LocationRateLimitRow | undefined): LocationRateLimit {
    const { config } = this.deps;
    return {
      enabled: row?.enabled === null || row?.enabled === undefined ? true : row.enabled === 1,
      burstMax: row?.burst_max ?? config.burstMax,
      intervalMs: row?.interval_ms ?? config.intervalMs,
      dailyMax: row?.daily_max ?? config.dailyMax,
      custom: row !== undefined,
    };
  }

  private async limitsOf(locationId: string): Promise<LocationRateLimit> {
    const cached = this.settings.get(locationId);
    if (cached && cached.until > performance.now()) return cached.limits;
    const limits = this.resolve(await findLocationRateLimit(this.deps.store.db, locationId));
    this.settings.delete(locationId);
    this.settings.set(locationId, { limits, until: performance.now() + SETTINGS_TTL_MS });
    if (this.settings.size > SETTINGS_CACHE_SIZE) this.settings.delete(this.settings.keys().next().value as string);
    return limits;
  }

  /** The limits a location's requests count against (the defaults for a company's own requests). */
  async windowLimits(locationId: string | null): Promise<WindowLimits> {
    const { burstMax, intervalMs, dailyMax } = locationId ? await this.limitsOf(locationId) : this.deps.config;
    return { burstMax, intervalMs, dailyMax };
  }

  private async requireLocation(locationId: string): Promise<void> {
    if (!(await findLocation(this.deps.store.db, locationId))) throw notFound('Location');
  }

  async get(locationId: string): Promise<LocationRateLimit> {
    await this.requireLocation(locationId);
    this.settings.delete(locationId);
    return this.limitsOf(locationId);
  }

  /** Replaces the location's own limits (a field left out takes the default). */
  async set(locationId: string, input: RateLimitInput): Promise<LocationRateLimit> {
    await this.requireLocation(locationId);
    const row = {
      location_id: locationId,
      enabled: input.enabled === undefined ? null : input.enabled ? 1 : 0,
      burst_max: input.burstMax ?? null,
      interval_ms: input.intervalMs ?? null,
      daily_max: input.dailyMax ?? null,
      updated_at: this.deps.clock.now(),
    };
    await this.deps.store.unit(({ db }) => putLocationRateLimit(db, row));
    return this.get(locationId);
  }

  async reset(locationId: string): Promise<LocationRateLimit> {
    await this.requireLocation(locationId);
    await this.deps.store.unit(({ db }) => deleteLocationRateLimit(db, locationId));
    return this.get(locationId);
  }

  /**
   * Counts a request of `subject` (an app, or a token without one) on a location, or only reads the counts
   * (`consume` false: a request refused before it got this far still tells its budget). Null: no limits apply.
   * A company's own requests (company tokens) take the defaults.
   */
  async check(subject: string, locationId: string | null, companyId: string | null, consume: boolean) {
    if (!this.deps.config.enabled) return null;
    const { config, counter, clock } = this.deps;
    const limits: WindowLimits & { enabled: boolean } = locationId ? await this.limitsOf(locationId) : { ...config };
    if (!limits.enabled) return null;
    const key = `${subject}:${locationId ? `location:${locationId}` : `company:${companyId}`}`;
    const now = clock.now();
    const usage = consume ? await counter.take(key, limits, now) : await counter.peek(key, limits, now);
    // Refused by the day's budget: tomorrow (UTC); by the burst: the next window.
    const retryAt =
      usage.dailyCount >= limits.dailyMax
        ? (dayWindow(now) + 1) * DAY_MS
        : (burstWindow(now, limits.intervalMs) + 1) * limits.intervalMs;
    const decision: RateDecision = {
      limits: { burstMax: limits.burstMax, intervalMs: limits.intervalMs, dailyMax: limits.dailyMax },
      usage,
      retryAt,
    };
    return decision;
  }

  /** Connects the counter (start-up fails when Redis cannot be reached); its later errors go to `log`. */
  async start(log: RateLimitLog): Promise<void> {
    this.log = log;
    if (!this.deps.config.enabled) return;
    try {
      await this.deps.counter.start();
    } catch (error) {
      await this.deps.counter.close();
      throw error;
    }
  }

  /** An error of the counter's connection (Redis reconnecting): logged, at most every ten seconds. */
  counterError(error: Error): void {
    if (performance.now() - this.lastError < 10_000) return;
    this.lastError = performance.now();
    this.log?.warn({ err: error }, 'rate-limit counter unavailable');
  }

  close(): Promise<void> {
    return this.deps.counter.close();
  }
}
