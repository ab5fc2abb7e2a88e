// Deterministic randomness for the seed: the same options and seed give the same data on either engine, and any
// entity's fields can be derived again from its index (no per-row state is kept between phases).

/** A 32-bit integer hash of up to three integers (murmur3's finaliser over a mix of the inputs). */
export function hash32(a: number, b = 0, c = 0): number {
  let h =
    Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^
    Math.imul(b + 0x7f4a7c15, 0xc2b2ae35) ^
    Math.imul(c + 0x165667b1, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface WeightedTable<K> {
  keys: K[];
  /** Running totals of the weights. */
  bounds: number[];
  total: number;
}

/** A table for Random.weighted, built once: `{ sms: 60, email: 12 }` (numeric keys come back as numbers). */
export function weights<K extends string | number>(entries: Readonly<Record<K, number>>): WeightedTable<K> {
  const keys: K[] = [];
  const bounds: number[] = [];
  let total = 0;
  for (const [key, weight] of Object.entries(entries) as [string, number][]) {
    if (weight <= 0) continue;
    total += weight;
    keys.push((/^\d+$/.test(key) ? Number(key) : key) as K);
    bounds.push(total);
  }
  return { keys, bounds, total };
}

/** A small, fast generator (mulberry32) seeded from a hash: a stream of uniform numbers in [0, 1). */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  static of(a: number, b = 0, c = 0): Random {
    return new Random(hash32(a, b, c));
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** A value of a weighted table, each as likely as its weight. */
  weighted<K>(table: WeightedTable<K>): K {
    const roll = this.next() * table.total;
    for (let i = 0; i < table.bounds.length; i++) if (roll < (table.bounds[i] as number)) return table.keys[i] as K;
    return table.keys[table.keys.length - 1] as K;
  }

  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

/** Splits `total` over `weights` in whole numbers that add up to `total` exactly (largest remainder). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) {
    const index = (order[k] as readonly [number, number])[1];
    shares[index] = (shares[index] as number) + 1;
  }
  return shares;
}
