// The embeddable widget (plain JavaScript, no build step) and a demo page hosting it: /widget/demo?widgetId=…
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Route } from '../route.js';

const WIDGET_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../widget');

/** Read once, on first use: the files ship with the server and do not change while it runs. */
function asset(file: string): () => string {
  let content: string | null = null;
  return () => {
    content ??= fs.readFileSync(path.join(WIDGET_DIR, file), 'utf8');
    return content;
  };
}

const script = asset('chat.js');
const demo = asset('demo.html');

// The demo page runs our script only; nothing in it comes from the query string but the widget id the script reads.
const DEMO_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function widgetAssetRoutes(): Route[] {
  return [
    {
      method: 'GET',
      url: '/widget/chat.js',
      access: { kind: 'public', cors: true },
      handler: async (_request, reply) =>
        reply
          .header('content-type', 'text/javascript; charset=utf-8')
          .header('cache-control', 'public, max-age=300')
          .header('x-content-type-options', 'nosniff')
          .send(script()),
    },
    {
      method: 'GET',
      url: '/widget/demo',
      access: { kind: 'public' },
      handler: async (_request, reply) =>
        reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('content-security-policy', DEMO_POLICY)
          .header('x-content-type-options', 'nosniff')
          .header('referrer-policy', 'no-referrer')
          .send(demo()),
    },
  ];
}
