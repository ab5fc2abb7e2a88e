// The console (a single-page app built by Vite into dist/console during `npm ci`) at `/`, its API reference at
// `/docs`, and the OpenAPI documents that reference renders. Nothing is fetched from elsewhere at run time.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import type { Route } from '../route.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const CONSOLE_DIST = path.join(ROOT, 'dist/console');

/** The documents /docs renders: HighLevel's own, and Switchboard's extensions and admin API. */
const SPECS: Record<string, string> = {
  conversations: 'spec/v3/conversations.json',
  contacts: 'spec/reference/contacts.json',
  oauth: 'spec/reference/oauth.json',
  extensions: 'spec/switchboard/extensions.json',
  admin: 'spec/switchboard/admin.json',
  /** Schemas the others share ($ref ../common/common-schemas.json). */
  common: 'spec/common/common-schemas.json',
};

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

/** Types worth compressing (images and fonts are compressed already). */
const TEXT_TYPES = new Set(['.js', '.css', '.svg', '.json']);

/**
 * Files gzipped once, on their first request: Vite names each asset by a hash of its content, and the API documents
 * are the installed package's, so a path never stands for other bytes while the server runs. The whole build and the
 * documents are a few hundred KB compressed.
 */
const gzipped = new Map<string, Buffer>();

function gzipOf(full: string): Buffer {
  let body = gzipped.get(full);
  if (!body) {
    body = gzipSync(fs.readFileSync(full), { level: 9 });
    gzipped.set(full, body);
  }
  return body;
}

/** Whether the client takes gzip: listed (or `*`) in Accept-Encoding without `q=0`. */
function acceptsGzip(header: string | string[] | undefined): boolean {
  for (const part of String(header ?? '').split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') continue;
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    if (!q || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

/** A file's bytes, gzipped when it is text and the client takes gzip. */
function sendFile(request: FastifyRequest, reply: FastifyReply, full: string) {
  if (!TEXT_TYPES.has(path.extname(full))) return reply.send(fs.createReadStream(full));
  reply.header('vary', 'accept-encoding');
  if (!acceptsGzip(request.headers['accept-encoding'])) return reply.send(fs.createReadStream(full));
  return reply.header('content-encoding', 'gzip').send(gzipOf(full));
}

// Scripts from this server only; inline styles for the virtual list's positioning; images and recordings of
// messages may live anywhere (HighLevel attachments are URLs); email bodies render in sandboxed srcdoc frames.
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https: http:",
  "media-src 'self' blob: https: http:",
  "connect-src 'self'",
  "frame-src 'self' about:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function sendPage(reply: FastifyReply, file: string) {
  const full = path.join(CONSOLE_DIST, file);
  if (!fs.existsSync(full)) {
    throw new DomainError('NOT_FOUND', 'The console is not built: run `npm run build` (npm ci does it)');
  }
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', PAGE_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('cache-control', 'no-cache')
    .send(fs.createReadStream(full));
}

export function consoleAssetRoutes(): Route[] {
  return [
    {
      method: 'GET',
      url: '/',
      access: { kind: 'public' },
      handler: async (_request, reply) => sendPage(reply, 'index.html'),
    },
    {
      // The same page: the app renders the reference when it finds itself at /docs.
      method: 'GET',
      url: '/docs',
      access: { kind: 'public' },
      handler: async (_request, reply) => sendPage(reply, 'index.html'),
    },
    {
      method: 'GET',
      url: '/console/assets/:file',
      access: { kind: 'public' },
      handler: async (request: FastifyRequest<{ Params: { file: string } }>, reply) => {
        const { file } = request.params;
        const type = TYPES[path.extname(file)];
        const full = path.join(CONSOLE_DIST, 'assets', file);
        // Vite's file names: letters, digits, dashes, underscores and dots; never a path.
        if (!type || !/^[\w.-]+$/.test(file) || file.startsWith('.') || !fs.existsSync(full)) {
          throw new DomainError('NOT_FOUND', 'Asset not found');
        }
        reply
          .header('content-type', type)
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'public, max-age=31536000, immutable');
        return sendFile(request, reply, full);
      },
    },
    {
      method: 'GET',
      url: '/docs/specs/:name',
      access: { kind: 'public' },
      handler: async (request: FastifyRequest<{ Params: { name: string } }>, reply) => {
        const name = request.params.name.replace(/\.json$/, '');
        const file = Object.hasOwn(SPECS, name) ? SPECS[name] : undefined;
        if (!file) throw new DomainError('NOT_FOUND', 'No such API document');
        reply.header('content-type', 'application/json; charset=utf-8').header('cache-control', 'public, max-age=300');
        return sendFile(request, reply, path.join(ROOT, file));
      },
    },
  ];
}
