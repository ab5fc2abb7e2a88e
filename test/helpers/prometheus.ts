// A strict reader of Prometheus's text exposition format (version 0.0.4): every line must be a HELP, a TYPE or a
// sample of a declared family, or the scrape fails the test.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  samples: Sample[];
  types: Map<string, string>;
  /** The value of the one sample with this name and (at least) these labels; undefined when there is none. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Every sample of this name with (at least) these labels. */
  all(name: string, labels?: Record<string, string>): Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`);
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"(?:,|$)/;
const SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created'];

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest !== '') {
    const match = LABEL.exec(rest);
    if (!match) throw new Error(`bad labels in: ${line}`);
    const [whole, key, raw] = match as unknown as [string, string, string];
    labels[key] = raw.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    rest = rest.slice(whole.length);
  }
  return labels;
}

function parseValue(text: string, line: string): number {
  // Prometheus reads these as Go's ParseFloat does: in any case (prom-client writes `Nan`).
  if (/^\+?inf$/i.test(text)) return Number.POSITIVE_INFINITY;
  if (/^-inf$/i.test(text)) return Number.NEGATIVE_INFINITY;
  if (/^nan$/i.test(text)) return Number.NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`bad value in: ${line}`);
  return value;
}

function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  const suffix = SUFFIXES.find((s) => name.endsWith(s));
  return suffix ? [name.slice(0, -suffix.length)].find((family) => types.has(family)) : undefined;
}

export function parseExposition(text: string): Scrape {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const meta = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`).exec(line);
      if (!meta) throw new Error(`bad comment line: ${line}`);
      if (meta[1] === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(meta[3] as string)) {
          throw new Error(`bad type: ${line}`);
        }
        types.set(meta[2] as string, meta[3] as string);
      }
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`bad sample line: ${line}`);
    const name = match[1] as string;
    if (!familyOf(name, types)) throw new Error(`sample of an undeclared family: ${line}`);
    samples.push({ name, labels: parseLabels(match[2] ?? '', line), value: parseValue(match[3] as string, line) });
  }
  const all = (name: string, labels: Record<string, string> = {}) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  const value = (name: string, labels?: Record<string, string>) => {
    const found = all(name, labels);
    if (found.length > 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
    return found[0]?.value;
  };
  return { samples, types, value, all };
}
