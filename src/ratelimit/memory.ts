// Rate-limit counts in this process's memory: exact for one server (each server counts on its own).
import { burstWindow, dayWindow, type RateCounter, type Usage, type WindowLimits } from './port.js';

interface Counts {
  burstWindow: number;
  intervalMs: number;
  burst: number;
  day: number;
  daily: number;
}

export class MemoryRateCounter implements RateCounter {
  private readonly counts = new Map<string, Counts>();

  /** Keys remembered at most; the least recently used go first (their windows are long over, or nearly). */
  constructor(private readonly maxKeys = 100_000) {}

  private current(key: string, limits: WindowLimits, now: number): Counts {
    const window = burstWindow(now, limits.intervalMs);
    const day = dayWindow(now);
    const known = this.counts.get(key);
    const counts = known ?? { burstWindow: window, intervalMs: limits.intervalMs, burst: 0, day, daily: 0 };
    if (counts.burstWindow !== window || counts.intervalMs !== limits.intervalMs) {
      Object.assign(counts, { burstWindow: window, intervalMs: limits.intervalMs, burst: 0 });
    }
    if (counts.day !== day) Object.assign(counts, { day, daily: 0 });
    this.counts.delete(key);
    this.counts.set(key, counts);
    if (!known && this.counts.size > this.maxKeys) this.counts.delete(this.counts.keys().next().value as string);
    return counts;
  }

  async take(key: string, limits: WindowLimits, now: number): Promise<Usage> {
    const counts = this.current(key, limits, now);
    const allowed = counts.burst < limits.burstMax && counts.daily < limits.dailyMax;
    if (allowed) {
      counts.burst += 1;
      counts.daily += 1;
    }
    return { allowed, burstCount: counts.burst, dailyCount: counts.daily };
  }

  async peek(key: string, limits: WindowLimits, now: number): Promise<Usage> {
    const counts = this.current(key, limits, now);
    return {
      allowed: counts.burst < limits.burstMax && counts.daily < limits.dailyMax,
      burstCount: counts.burst,
      dailyCount: counts.daily,
    };
  }

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.counts.clear();
  }
}
