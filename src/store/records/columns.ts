// Decoding and encoding of column values shared by the repositories' records: JSON text, 0/1 flags, closed sets of
// strings. Hand-written and cheap (reads of hot paths decode every row): the common empty values skip JSON.parse.

/** A stored value outside what its column may hold: the row was written by something that bypassed the store. */
export class CorruptColumn extends Error {
  constructor(table: string, column: string, value: unknown) {
    super(`${table}.${column} holds ${JSON.stringify(value)}, which is not a value of that column`);
    this.name = 'CorruptColumn';
  }
}

/** A closed set of strings, written as a record so the compiler checks it names every member of the union. */
export function oneOf<T extends string>(members: Record<T, true>, table: string, column: string) {
  return (value: string): T => {
    if (Object.hasOwn(members, value)) return value as T;
    throw new CorruptColumn(table, column, value);
  };
}

export const flag = (value: number | boolean): boolean => value === 1 || value === true;
export const toFlag = (value: boolean): number => (value ? 1 : 0);

/** A JSON list of strings; anything else is read as empty (a list never written by Switchboard holds nothing usable). */
export function stringList(text: string | null): string[] {
  if (text === null || text === '[]') return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

/** A JSON object; anything else is read as empty. */
export function jsonObject(text: string | null): Record<string, unknown> {
  if (text === null || text === '{}') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** Any JSON value, or `fallback(text)` for text that is not JSON. */
export function jsonValue(text: string, fallback: (text: string) => unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback(text);
  }
}

export const optionalString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Encodes the fields of a patch that `encoders` name, and copies the others as they are. */
export function encodePatch<R, Row>(
  patch: Partial<R>,
  encoders: { [K in keyof R]?: (value: R[K]) => unknown },
): Partial<Row> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const encode = encoders[key as keyof R] as ((value: unknown) => unknown) | undefined;
    row[key] = encode ? encode(value) : value;
  }
  return row as Partial<Row>;
}
