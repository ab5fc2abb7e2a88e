// Chooses the rate-limit counter: Redis when REDIS_URL is set (one budget for every server), else this process.
import type { RateLimitConfig } from '../config.js';
import { MemoryRateCounter } from './memory.js';
import type { RateCounter } from './port.js';
import { RedisRateCounter } from './redis.js';

export function createRateCounter(config: RateLimitConfig, onError: (error: Error) => void): RateCounter {
  return config.redisUrl ? new RedisRateCounter(config.redisUrl, onError) : new MemoryRateCounter();
}
