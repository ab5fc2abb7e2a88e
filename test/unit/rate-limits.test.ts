// Rate-limit configuration and the in-memory counter's windows (the Redis counter runs the same checks in
// test/integration/rate-limits.test.ts against a real Redis).
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { MemoryRateCounter } from '../../src/ratelimit/memory.js';

describe('rate-limit configuration', () => {
  it('defaults to HighLevel’s limits, counted in memory', () => {
    expect(loadConfig({}).rateLimit).toEqual({
      enabled: true,
      burstMax: 100,
      intervalMs: 10_000,
      dailyMax: 200_000,
      redisUrl: null,
    });
  });

  it('takes every variable, and names the bad one', () => {
    const config = loadConfig({
      RATE_LIMIT_ENABLED: 'false',
      RATE_LIMIT_BURST_MAX: '5',
      RATE_LIMIT_INTERVAL_MS: '1000',
      RATE_LIMIT_DAILY_MAX: '50',
      REDIS_URL: 'redis://127.0.0.1:6379/2',
    });
    expect(config.rateLimit).toEqual({
      enabled: false,
      burstMax: 5,
      intervalMs: 1000,
      dailyMax: 50,
      redisUrl: 'redis://127.0.0.1:6379/2',
    });
    expect(() => loadConfig({ RATE_LIMIT_ENABLED: 'maybe' })).toThrow(/RATE_LIMIT_ENABLED/);
    expect(() => loadConfig({ RATE_LIMIT_BURST_MAX: '0' })).toThrow(/RATE_LIMIT_BURST_MAX/);
    expect(() => loadConfig({ RATE_LIMIT_INTERVAL_MS: '10' })).toThrow(/RATE_LIMIT_INTERVAL_MS/);
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: 'not a url' })).toThrow(/REDIS_URL/);
  });
});

describe('the in-memory rate counter', () => {
  const limits = { burstMax: 2, intervalMs: 1000, dailyMax: 3 };

  it('counts fixed windows from the epoch, refusing without counting', async () => {
    const counter = new MemoryRateCounter();
    const start = 1_000_000;
    expect(await counter.take('k', limits, start)).toEqual({ allowed: true, burstCount: 1, dailyCount: 1 });
    expect(await counter.take('k', limits, start + 999)).toEqual({ allowed: true, burstCount: 2, dailyCount: 2 });
    expect(await counter.take('k', limits, start + 999)).toEqual({ allowed: false, burstCount: 2, dailyCount: 2 });
    expect(await counter.peek('k', limits, start + 1000)).toEqual({ allowed: true, burstCount: 0, dailyCount: 2 });
    expect(await counter.take('k', limits, start + 1000)).toEqual({ allowed: true, burstCount: 1, dailyCount: 3 });
    // The day's budget is spent: refused in a fresh burst window too, until the next UTC day.
    expect(await counter.take('k', limits, start + 5000)).toEqual({ allowed: false, burstCount: 0, dailyCount: 3 });
    expect(await counter.take('k', limits, 86_400_000)).toEqual({ allowed: true, burstCount: 1, dailyCount: 1 });
    // Keys are independent.
    expect(await counter.take('other', limits, start)).toMatchObject({ allowed: true, burstCount: 1 });
  });

  it('forgets the least recently used keys beyond its bound', async () => {
    const counter = new MemoryRateCounter(2);
    await counter.take('a', limits, 0);
    await counter.take('a', limits, 0);
    await counter.take('b', limits, 0);
    await counter.take('c', limits, 0);
    expect(await counter.peek('a', limits, 0)).toMatchObject({ burstCount: 0 });
  });
});
