// The console's files as the server sends them (src/routes/console/assets.ts): the page at / and /docs loads scripts
// from this server only, its assets and API documents go out gzipped to a client that takes gzip, and the JavaScript
// of the first load stays under the budget of 300 KB compressed, as measured on the wire.
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt } from '../helpers/console-build.js';
import { ENGINES } from '../helpers/engines.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const BUDGET_BYTES = 300 * 1024;

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A GET whose body is the bytes sent (fetch would undo the gzip). */
function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}

describe.each(ENGINES)('console assets on %s', (engine) => {
  let harness: Harness;
  let page: string;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    harness = await startHarness(engine);
    page = (await get(`${harness.baseUrl}/`)).body.toString('utf8');
  });
  afterAll(async () => harness?.close());

  /** What the page loads before it can draw: its module script and the modules it preloads. */
  const firstLoadScripts = () =>
    [...page.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+)"/g)].map(
      (match) => match[1] ?? '',
    );

  it('serves the page at / and /docs under its CSP, with every script and style from this server', async () => {
    for (const where of ['/', '/docs']) {
      const response = await get(`${harness.baseUrl}${where}`);
      expect(response.status).toBe(200);
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    }
    const references = [...page.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(references.filter((ref) => !ref.startsWith('/console/assets/') && ref !== 'data:,')).toEqual([]);
    expect(firstLoadScripts().length).toBeGreaterThan(0);
  });

  it('sends the first load gzipped, under 300 KB of JavaScript, and the same bytes unzipped to who asks', async () => {
    let compressed = 0;
    for (const script of firstLoadScripts()) {
      const zipped = await get(`${harness.baseUrl}${script}`, { 'accept-encoding': 'gzip, deflate, br' });
      expect(zipped.status).toBe(200);
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.headers.vary).toBe('accept-encoding');
      compressed += zipped.body.length;
      const plain = await get(`${harness.baseUrl}${script}`);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
      const refused = await get(`${harness.baseUrl}${script}`, { 'accept-encoding': 'gzip;q=0, identity' });
      expect(refused.headers['content-encoding']).toBeUndefined();
    }
    console.log(`console: the first load's JavaScript is ${(compressed / 1024).toFixed(1)} KB gzipped on the wire`);
    expect(compressed).toBeLessThan(BUDGET_BYTES);
  });

  it('sends the API documents /docs renders gzipped too', async () => {
    const zipped = await get(`${harness.baseUrl}/docs/specs/admin`, { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    const plain = await get(`${harness.baseUrl}/docs/specs/admin`);
    expect(JSON.parse(gunzipSync(zipped.body).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
    expect(zipped.body.length).toBeLessThan(plain.body.length / 4);
  });

  it('serves nothing outside the built assets', async () => {
    for (const name of ['..%2Fpackage.json', '.built-by', 'index.html', 'nope.js']) {
      expect((await get(`${harness.baseUrl}/console/assets/${name}`)).status).toBe(404);
    }
  });
});
