// A real HTTP server standing in for the remote hosts attachments come from (a CDN, a call provider), and a look
// at what the blob store holds, so tests can tell nothing was left behind.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Harness } from './harness.js';
import { s3ObjectCount } from './s3.js';

export interface RemoteServer {
  url: string;
  /** Range headers the server was sent, in order. */
  ranges: (string | undefined)[];
  close(): Promise<void>;
}

/** Serves the given files (with Range support), redirects, and a path that never answers. */
export async function startRemoteServer(
  files: Record<string, { bytes: Buffer; type: string; chunked?: boolean }>,
  redirects: Record<string, string> = {},
): Promise<RemoteServer> {
  const ranges: (string | undefined)[] = [];
  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://x').pathname;
    ranges.push(request.headers.range);
    const target = redirects[pathname];
    if (target) {
      response.writeHead(302, { location: target }).end();
      return;
    }
    if (pathname === '/stall') return; // never answers
    const file = files[pathname];
    if (!file) {
      response.writeHead(404).end('missing');
      return;
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Number(range[2]) : file.bytes.length - 1;
      response.writeHead(206, {
        'content-type': file.type,
        'content-length': end - start + 1,
        'content-range': `bytes ${start}-${end}/${file.bytes.length}`,
      });
      response.end(file.bytes.subarray(start, end + 1));
      return;
    }
    response.writeHead(200, {
      'content-type': file.type,
      ...(file.chunked ? {} : { 'content-length': file.bytes.length }),
    });
    // Written in pieces, so a chunked answer streams.
    for (let at = 0; at < file.bytes.length; at += 64 * 1024) response.write(file.bytes.subarray(at, at + 64 * 1024));
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ranges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((e) => e.name);
}

/** What the blob store (disk or S3) holds: committed blobs, temporary files, and rows of stored files. */
export async function storedState(harness: Harness) {
  const store = harness.server.services.config.blobStore;
  const root = path.join(harness.server.services.config.dataDir, 'files');
  const count = (under: 'blobs' | 'tmp') =>
    store.kind === 's3'
      ? s3ObjectCount(store, `${under}/`)
      : Promise.resolve(filesUnder(path.join(root, under)).length);
  const rows = await harness.server.store.db
    .selectFrom('files')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { blobs: await count('blobs'), temporary: await count('tmp'), rows: Number(rows.n) };
}
