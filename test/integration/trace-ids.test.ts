// The traceId a client is given is the request id of every log line of that request: a failing request's error
// body names the lines to read in the server's log (docs/operations.md#logs-and-trace-ids).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';

describe.each(ENGINES)('trace ids in the logs on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  const lines: Record<string, any>[] = [];

  beforeAll(async () => {
    harness = await startHarness(engine, {
      env: { LOG_LEVEL: 'info' },
      logStream: { write: (line) => lines.push(JSON.parse(line)) },
    });
    location = await createLocation(harness);
  });
  afterAll(async () => harness?.close());

  const linesOf = (traceId: string) => lines.filter((line) => line.traceId === traceId);

  it('logs every line of a failing request under the traceId its error body gives', async () => {
    const response = await location.api.get('conversations:get-conversation', '/conversations/no-such-conversation', {
      raw: true,
    });
    expect(response.status).toBe(404);
    const traceId = response.body.traceId as string;
    expect(response.headers.get('x-trace-id')).toBe(traceId);
    const logged = linesOf(traceId);
    expect(logged.map((line) => line.msg)).toEqual(['incoming request', 'request completed']);
    expect(logged[0]?.req.url).toBe('/conversations/no-such-conversation');
    expect(logged[1]?.res.statusCode).toBe(404);
    // No line of any request goes without its traceId.
    expect(lines.filter((line) => (line.req || line.res) && !line.traceId)).toEqual([]);
  });

  it('carries the traceId on what the request’s own code logs', async () => {
    const store = harness.server.services.config.blobStore;
    if (store.kind !== 'disk') throw new Error('expected the disk store');
    fs.rmSync(store.root, { recursive: true, force: true });
    fs.writeFileSync(store.root, 'not a directory');
    try {
      const response = await harness.admin.request('GET', null, '/readyz', { headers: { authorization: undefined } });
      expect(response.status).toBe(503);
      const logged = linesOf(response.body.traceId);
      expect(logged.map((line) => line.msg)).toEqual([
        'incoming request',
        expect.stringMatching(/^readiness: blobStore/),
        'request completed',
      ]);
      expect(logged[1]).toMatchObject({ level: 40, check: 'blobStore', err: expect.any(Object) });
    } finally {
      fs.rmSync(store.root);
    }
  });

  it('gives each request a traceId of its own, never one the client sent', async () => {
    const sent = 'client-chosen-request-id';
    const first = await harness.admin.request('GET', null, '/healthz', { headers: { 'request-id': sent } });
    const second = await harness.admin.request('GET', null, '/healthz', { headers: { 'request-id': sent } });
    expect(first.body.traceId).not.toBe(second.body.traceId);
    expect(first.body.traceId).not.toBe(sent);
    expect(linesOf(first.body.traceId)).toHaveLength(2);
  });
});

describe.each(ENGINES)('LOG_FORMAT=pretty on %s', (engine) => {
  let harness: Harness;
  let text = '';

  beforeAll(async () => {
    harness = await startHarness(engine, {
      env: { LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' },
      logStream: {
        write: (line) => {
          text += line;
        },
      },
    });
  });
  afterAll(async () => harness?.close());

  it('writes lines for people, the traceId among each request’s fields', async () => {
    const response = await harness.admin.request('GET', null, '/no/such/route', {
      headers: { authorization: undefined },
    });
    expect(response.status).toBe(404);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the colours pino-pretty adds at a terminal
    const plain = text.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\.\d\d\d\] INFO: incoming request$/m);
    expect(plain).toContain(`traceId: "${response.body.traceId}"`);
    for (const line of plain.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).toThrow();
  });
});
