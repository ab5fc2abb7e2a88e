// The rate-limit counter port: fixed windows per key (a burst window of intervalMs, and the UTC day), counted in this
// process's memory or in Redis (shared by every server). Windows are numbered from the epoch by the app's clock,
// so all servers agree on them and a client that waits out the interval always finds a fresh one.
export interface WindowLimits {
  burstMax: number;
  intervalMs: number;
  dailyMax: number;
}

export interface Usage {
  /** Whether this request was counted (false: a window was full, nothing was counted). */
  allowed: boolean;
  /** Requests counted in the current burst window and day, this one included when allowed. */
  burstCount: number;
  dailyCount: number;
}

export interface RateCounter {
  /** Counts a request in both windows unless either is full. */
  take(key: string, limits: WindowLimits, now: number): Promise<Usage>;
  /** The counts as they stand, counting nothing. */
  peek(key: string, limits: WindowLimits, now: number): Promise<Usage>;
  /** Connects (Redis): start-up fails when the counter cannot be reached. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export const DAY_MS = 24 * 3600 * 1000;

export function burstWindow(now: number, intervalMs: number): number {
  return Math.floor(now / intervalMs);
}

export function dayWindow(now: number): number {
  return Math.floor(now / DAY_MS);
}
