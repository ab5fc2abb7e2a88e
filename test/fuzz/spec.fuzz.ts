// Spec-driven fuzzing (`npm run fuzz`, not part of `npm test`): every operation of the vendored specs, called with
// seeded hostile variants against the real app on each engine. Fails on any 5xx, any answer slower than 5 s and on a
// server that stops answering. FUZZ_SEED reproduces a run (it is printed); FUZZ_SECONDS sets its length per engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { ADMIN_TOKEN, type Harness, startHarness, VERSION } from '../helpers/harness.js';
import { send, uniquePhone } from '../helpers/messages.js';
import { hostileString, hostileValue, mutate, type Rng, rng, valid } from './generate.js';
import { operations, type SpecOperation } from './operations.js';

type Json = Record<string, any>;

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 20);
/** FUZZ_CASES=12,40: run only these cases, one at a time (to reproduce a failure of the seed). */
const ONLY = process.env.FUZZ_CASES?.split(',').map(Number);
const CONCURRENCY = 4;
const HANG_MS = 5_000;
const CONTENT_TYPES = [
  'text/plain',
  'application/json; charset=latin1',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  '',
  'application/json, application/json',
];
const VERSIONS = [VERSION, VERSION, VERSION, '2021-04-15', '', 'garbage', undefined];

/** Every byte of the UTF-8 encoding percent-encoded (a lone surrogate becomes U+FFFD, as on the wire). */
function percentEncoded(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

interface Case {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer | FormData;
}

/** What one case bends; everything else it sends as a well-formed request would, so the bend reaches deep code. */
const AXES = ['none', 'path', 'query', 'body', 'body', 'headers', 'encoding'] as const;

function buildCase(op: SpecOperation, r: Rng, baseUrl: string, ids: Record<string, string>, token: string): Case {
  const axis = r.pick(AXES);
  const idFor = (name: string) =>
    name === 'id' ? r.pick([ids.messageId, ids.contactId, ids.conversationId]) : ids[name];
  let route = op.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const real = idFor(name);
    const value =
      real && (axis !== 'path' || r.chance(0.3))
        ? real
        : axis === 'path' && real
          ? `${real}${hostileString(r)}`
          : hostileString(r);
    return percentEncoded(value || 'x');
  });
  if (axis === 'path' && r.chance(0.1))
    route = route.replace(/\/[^/]*$/, r.pick(['/%2e%2e', '/%00', '/%ZZ', '//', '/.']));
  const url = new URL(route, baseUrl);
  for (const parameter of op.parameters) {
    if (parameter.in !== 'query') continue;
    if (!parameter.required && r.chance(0.4)) continue;
    const name = parameter.name as string;
    let value = valid(parameter.schema, r, ids, name);
    // Cursors, ids, bounds: a quarter of the values are bent.
    if (axis === 'query' && r.chance(0.5)) value = mutate(value, r);
    const values = Array.isArray(value) ? value : [value];
    for (const item of values.slice(0, 50))
      url.searchParams.append(name, typeof item === 'string' ? item : JSON.stringify(item));
    if (axis === 'query' && r.chance(0.1)) url.searchParams.append(name, hostileString(r));
  }
  if (axis === 'query' && r.chance(0.2))
    url.searchParams.append(hostileString(r).slice(0, 30) || 'q', hostileString(r));

  const headers: Record<string, string> = {};
  const auth = axis === 'headers' ? r.int(4) : 3;
  if (auth === 0) headers.authorization = `Bearer ${ADMIN_TOKEN}`;
  else if (auth === 1) headers.authorization = r.pick(['Bearer ', 'Basic eA==', `Bearer ${token}x`, 'Bearer a.b.c']);
  else if (auth !== 2) headers.authorization = `Bearer ${token}`;
  const version = axis === 'headers' ? r.pick(VERSIONS) : VERSION;
  if (version !== undefined) headers.version = version;

  let body: string | Buffer | FormData | undefined;
  if ((op.body || (axis === 'body' && r.chance(0.2))) && op.method !== 'GET' && op.method !== 'HEAD') {
    const contentType = op.body?.contentType ?? 'application/json';
    let value = valid(op.body?.schema, r, ids);
    if (axis === 'body') value = mutate(value, r);
    // A form has fields only when the (bent) value is still an object; otherwise it is sent as one field.
    const fields = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : { value };
    if (contentType === 'multipart/form-data' && r.chance(0.8)) {
      const form = new FormData();
      for (const [key, field] of Object.entries(fields)) {
        if (Array.isArray(field) || r.chance(0.3)) {
          const bytes = r.chance(0.5) ? '%PDF-1.4 fuzz' : hostileString(r);
          form.append(
            key,
            new Blob([bytes], { type: r.pick(['application/pdf', 'image/png', 'text/html', '']) }),
            r.pick(['a.pdf', '../x', '\u0000.png', 'x'.repeat(300)]),
          );
        } else form.append(key, typeof field === 'string' ? field : JSON.stringify(field));
      }
      body = form;
    } else if (contentType === 'application/x-www-form-urlencoded' && r.chance(0.8)) {
      const form = new URLSearchParams();
      for (const [key, field] of Object.entries(fields)) {
        form.append(key, typeof field === 'string' ? field : JSON.stringify(field));
      }
      headers['content-type'] = contentType;
      body = form.toString();
    } else {
      headers['content-type'] = axis === 'encoding' && r.chance(0.4) ? r.pick(CONTENT_TYPES) : 'application/json';
      const text = JSON.stringify(value) ?? 'null';
      const encoding = axis === 'encoding' ? r.int(4) : 4;
      if (encoding === 0) body = text.slice(0, Math.max(1, r.int(text.length)));
      else if (encoding === 1)
        body = Buffer.concat([Buffer.from(text.slice(0, -1)), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('}')]);
      else if (encoding === 2) body = `${'['.repeat(r.pick([65, 1_000, 100_000]))}1`;
      else if (encoding === 3) body = JSON.stringify(hostileValue(r));
      else body = text;
    }
  }
  return { method: op.method, url: url.toString(), headers, ...(body !== undefined ? { body } : {}) };
}

interface Failure {
  index: number;
  operation: string;
  what: string;
  request: string;
}

function describeCase(c: Case): string {
  let body = '';
  if (typeof c.body === 'string') body = c.body.slice(0, 300);
  else if (c.body instanceof FormData) {
    body = [...c.body.entries()]
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v.slice(0, 80) : `<file ${v.name.slice(0, 40)} ${v.size} B>`}`)
      .join(' & ');
  } else if (c.body) body = '(bytes)';
  return `${c.method} ${c.url.slice(0, 300)} ${JSON.stringify(c.headers).slice(0, 200)} ${body}`;
}

async function runCase(c: Case): Promise<{ status: number } | { error: string }> {
  const signal = AbortSignal.timeout(HANG_MS);
  try {
    const response = await fetch(c.url, { method: c.method, headers: c.headers, body: c.body, signal });
    if (response.headers.get('content-type')?.includes('text/event-stream')) await response.body?.cancel();
    else await response.arrayBuffer();
    return { status: response.status };
  } catch (error) {
    const cause =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${HANG_MS} ms`
        : `${error} ${(error as Error).cause ?? ''}`;
    return { error: cause };
  }
}

describe.each(ENGINES)('spec fuzzing on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  const ids: Record<string, string> = {};

  async function seed() {
    const contact = await createContact(location, { phone: uniquePhone() });
    const conversation = await createConversation(location, contact.id);
    const sent = await send(location, { type: 'SMS', contactId: contact.id, message: 'fuzz seed' });
    Object.assign(ids, {
      locationId: location.locationId,
      contactId: contact.id,
      conversationId: conversation.id,
      messageId: sent.body.messageId,
      emailMessageId: sent.body.messageId,
    });
  }

  beforeAll(async () => {
    harness = await startHarness(engine);
    location = await createLocation(harness);
    await seed();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('answers every hostile variant of every operation without a 5xx, a hang or a crash', async () => {
    const ops = operations();
    const statuses = new Map<string, number>();
    const failures: Failure[] = [];
    const deadline = Date.now() + SECONDS * 1_000;
    let next = 0;
    let ran = 0;
    const worker = async () => {
      while (ONLY ? next < ONLY.length : Date.now() < deadline) {
        const index = ONLY ? (ONLY[next++] as number) : next++;
        if (index % 250 === 249) await seed().catch(() => undefined);
        const op = ops[index % ops.length] as SpecOperation;
        const c = buildCase(op, rng(SEED ^ Math.imul(index + 1, 2654435761)), harness.baseUrl, ids, location.token);
        if (process.env.FUZZ_SHOW) console.log(describeCase(c));
        const started = Date.now();
        const outcome = await runCase(c);
        if (process.env.FUZZ_TRACE)
          console.log(
            `${index} ${started % 100000} ${Date.now() - started}ms ${op.id} ${'status' in outcome ? outcome.status : outcome.error}`,
          );
        ran += 1;
        const key = 'status' in outcome ? `${Math.floor(outcome.status / 100)}xx` : 'failed';
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        if ('error' in outcome || outcome.status >= 500) {
          failures.push({
            index,
            operation: op.id,
            what: 'error' in outcome ? outcome.error : `status ${outcome.status}`,
            request: describeCase(c),
          });
        }
      }
    };
    await Promise.all(Array.from({ length: ONLY && !process.env.FUZZ_PARALLEL ? 1 : CONCURRENCY }, worker));
    const health = await fetch(new URL('/healthz', harness.baseUrl));
    const counts = Object.fromEntries([...statuses].sort());
    console.log(
      `fuzz ${engine}: FUZZ_SEED=${SEED}, ${ran} requests over ${ops.length} operations in ${SECONDS} s: ${JSON.stringify(counts)}`,
    );
    for (const failure of failures.slice(0, 20)) {
      console.log(`  case ${failure.index} ${failure.operation}: ${failure.what}\n    ${failure.request}`);
    }
    expect(health.status).toBe(200);
    expect(failures.map((f) => `${f.operation} case ${f.index}: ${f.what}`)).toEqual([]);
  });
});
