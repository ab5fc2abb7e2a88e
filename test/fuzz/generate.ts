// Hostile requests made from the vendored spec: a seeded generator (every case reproducible from the seed and its
// index) of values that match an operation's schemas, then bent: wrong types, bounds, nesting, encodings,
// metacharacters, cursors, ids, headers and content types.

type Json = Record<string, any>;

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
export function rng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (max: number) => Math.floor(next() * max),
    chance: (p: number) => next() < p,
    pick<T>(items: readonly T[]): T {
      return items[Math.floor(next() * items.length)] as T;
    },
  };
}
export type Rng = ReturnType<typeof rng>;

/** Strings an attacker tries: metacharacters of SQL, HTML, paths, headers and formats, odd Unicode, NUL. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  "' OR '1'='1",
  '"; DROP TABLE messages; --',
  '\\',
  '%',
  '_',
  '%00',
  '\u0000',
  'a\u0000b',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '<script>alert(1)</script>',
  '{{7*7}}',
  ['$', '{jndi:ldap://x}'].join(''),
  '\r\nX-Injected: 1',
  '\uFEFF',
  '\uD800',
  '\uDFFF\uD800',
  '𝕏🙂‍↔️',
  'ı̇İ',
  '\u202E',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '0x10',
  '9007199254740993',
  '2021-02-30T25:61:61Z',
  '0000-00-00',
  'true',
  '[]',
  '{}',
  '*',
  'http://[::ffff:0:127.0.0.1]/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'a@b',
  '@@@',
];

export const HOSTILE_NUMBERS = [0, -1, -0.5, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER];

function longString(r: Rng): string {
  const length = r.pick([256, 257, 1_000, 3_000, 10_000, 70_000]);
  // Half are random characters of up to three bytes: a repeated one compresses to nothing, so it never shows a value
  // too wide for an index row (PostgreSQL compresses index entries; a name of 10 000 random characters found that).
  if (r.chance(0.5)) {
    const base = r.pick([0x61, 0xe0, 0x4e00]);
    return Array.from({ length }, () => String.fromCharCode(base + r.int(26 * (base === 0x61 ? 1 : 100)))).join('');
  }
  const unit = r.pick(['a', 'é', '🙂', '\u0000', '%', ' ', "'"]);
  return unit.repeat(length);
}

export function hostileString(r: Rng): string {
  return r.chance(0.15) ? longString(r) : r.pick(HOSTILE_STRINGS);
}

/** Any JSON value of a random type, including nested ones (within and just past the server's depth limit). */
export function hostileValue(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 2 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick(HOSTILE_NUMBERS);
    case 3:
    case 4:
      return hostileString(r);
    case 5:
      return r.int(1000);
    case 6:
      return [hostileValue(r, depth + 1), hostileValue(r, depth + 1)];
    case 7:
      return { [hostileString(r).slice(0, 50)]: hostileValue(r, depth + 1), __proto__x: 1, constructor: 'x' };
    default:
      return nested(r.pick([10, 63, 64, 65, 200]), r.chance(0.5));
  }
}

function nested(depth: number, arrays: boolean): unknown {
  let value: unknown = 1;
  for (let n = 0; n < depth; n++) value = arrays ? [value] : { a: value };
  return value;
}

/** A value that satisfies the schema as far as a generator easily can (the plausible request a fuzz case bends). */
export function valid(schema: Json | undefined, r: Rng, ids: Record<string, string>, name = '', depth = 0): unknown {
  if (!schema || depth > 6) return 'x';
  if (schema.enum) return r.pick(schema.enum);
  if (schema.const !== undefined) return schema.const;
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) return valid(r.pick(variants), r, ids, name, depth + 1);
  if (schema.allOf) {
    return Object.assign({}, ...schema.allOf.map((part: Json) => valid(part, r, ids, name, depth + 1)));
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'integer':
    case 'number':
      return schema.minimum ?? (name.toLowerCase().includes('timestamp') ? Math.floor(Date.now() / 1000) : 1);
    case 'boolean':
      return r.chance(0.5);
    case 'array':
      return [valid(schema.items, r, ids, name, depth + 1)];
    case 'object':
    case undefined: {
      if (!schema.properties) return type === 'object' ? {} : 'x';
      const out: Json = {};
      for (const [key, property] of Object.entries(schema.properties as Json)) {
        if (schema.required?.includes(key) || r.chance(0.6)) out[key] = valid(property, r, ids, key, depth + 1);
      }
      return out;
    }
    default:
      return stringFor(schema, name, ids);
  }
}

function stringFor(schema: Json, name: string, ids: Record<string, string>): string {
  if (ids[name]) return ids[name];
  const lower = name.toLowerCase();
  if (schema.format === 'email' || lower.includes('email')) return 'fuzz@example.com';
  if (schema.format === 'date-time' || lower.includes('date')) return new Date().toISOString();
  if (schema.format === 'uri' || lower.includes('url')) return 'https://example.com/x';
  if (lower.includes('phone')) return '+15555550123';
  return 'fuzz';
}

/** Bends a valid value: one field (or the whole) replaced, dropped, duplicated or swollen. */
export function mutate(value: unknown, r: Rng, depth = 0): unknown {
  if (value !== null && typeof value === 'object' && depth < 4 && r.chance(0.7)) {
    if (Array.isArray(value)) {
      if (value.length === 0 || r.chance(0.2))
        return r.chance(0.5) ? [] : Array(r.pick([100, 1001])).fill(value[0] ?? 'x');
      const copy = [...value];
      const at = r.int(copy.length);
      copy[at] = mutate(copy[at], r, depth + 1);
      return copy;
    }
    const copy: Json = { ...(value as Json) };
    const keys = Object.keys(copy);
    const choice = r.int(4);
    if (choice === 0 && keys.length > 0) delete copy[r.pick(keys)];
    else if (choice === 1) copy[hostileString(r).slice(0, 40) || 'extra'] = hostileValue(r);
    else if (keys.length > 0) {
      const key = r.pick(keys);
      copy[key] = mutate(copy[key], r, depth + 1);
    }
    return copy;
  }
  if (typeof value === 'string' && r.chance(0.3)) return value + hostileString(r);
  return hostileValue(r);
}
