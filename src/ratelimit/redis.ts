// Rate-limit counts in Redis, so several servers share one budget: both windows are checked and counted by one Lua
// script, atomically. Keys carry a hash tag, so a key's two counters live on one node of a cluster too.
import type { Redis } from 'ioredis';
import { onFirstUse } from '../lazy-package.js';
import { burstWindow, DAY_MS, dayWindow, type RateCounter, type Usage, type WindowLimits } from './port.js';

const loadIoredis = onFirstUse<typeof import('ioredis')>('ioredis');

// KEYS: burst counter, daily counter. ARGV: burstMax, dailyMax, burst TTL ms, daily TTL ms.
const TAKE = `
local burst = tonumber(redis.call('GET', KEYS[1]) or '0')
local daily = tonumber(redis.call('GET', KEYS[2]) or '0')
if burst >= tonumber(ARGV[1]) or daily >= tonumber(ARGV[2]) then
  return {0, burst, daily}
end
burst = redis.call('INCR', KEYS[1])
if burst == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
daily = redis.call('INCR', KEYS[2])
if daily == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
return {1, burst, daily}
`;

type TakeCommand = (
  burstKey: string,
  dailyKey: string,
  burstMax: number,
  dailyMax: number,
  burstTtl: number,
  dailyTtl: number,
) => Promise<[number, number, number]>;

export class RedisRateCounter implements RateCounter {
  private readonly redis: Redis;
  private readonly takeCommand: TakeCommand;

  constructor(
    url: string,
    onError: (error: Error) => void,
    private readonly prefix = 'switchboard:ratelimit',
  ) {
    // No offline queue: while Redis is unreachable a request fails at once (and is let through) instead of waiting.
    this.redis = new (loadIoredis().Redis)(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    this.redis.on('error', onError);
    this.redis.defineCommand('switchboardRateLimitTake', { numberOfKeys: 2, lua: TAKE });
    // defineCommand adds the method at run time; ioredis cannot type it.
    const command = (this.redis as unknown as Record<string, TakeCommand>).switchboardRateLimitTake;
    if (!command) throw new Error('ioredis did not define the rate-limit command');
    this.takeCommand = command.bind(this.redis);
  }

  private keys(key: string, limits: WindowLimits, now: number): [string, string] {
    const tagged = `${this.prefix}:{${key}}`;
    return [
      `${tagged}:burst:${limits.intervalMs}:${burstWindow(now, limits.intervalMs)}`,
      `${tagged}:day:${dayWindow(now)}`,
    ];
  }

  async take(key: string, limits: WindowLimits, now: number): Promise<Usage> {
    const [burstKey, dailyKey] = this.keys(key, limits, now);
    // Counters outlive their window a little (servers' clocks may differ slightly), then Redis drops them.
    const [allowed, burstCount, dailyCount] = await this.takeCommand(
      burstKey,
      dailyKey,
      limits.burstMax,
      limits.dailyMax,
      limits.intervalMs * 2,
      DAY_MS * 2,
    );
    return { allowed: allowed === 1, burstCount, dailyCount };
  }

  async peek(key: string, limits: WindowLimits, now: number): Promise<Usage> {
    const [burst, daily] = await this.redis.mget(...this.keys(key, limits, now));
    const burstCount = Number(burst ?? 0);
    const dailyCount = Number(daily ?? 0);
    return { allowed: burstCount < limits.burstMax && dailyCount < limits.dailyMax, burstCount, dailyCount };
  }

  async start(): Promise<void> {
    await this.redis.connect();
  }

  async close(): Promise<void> {
    if (this.redis.status === 'end') return;
    if (this.redis.status !== 'ready') {
      // Not connected (or still retrying): stop reconnecting, nothing to flush.
      this.redis.disconnect();
      return;
    }
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}
