// An email's HTML in a sandboxed frame: no scripts (the sandbox has no allow-scripts, and the frame's own CSP says
// script-src 'none'), no forms, no plugins; links open in a new tab, outside the console. Remote images may load,
// as in a mail client; nothing else does.
import { useEffect, useRef, useState } from 'react';

export const FRAME_POLICY =
  "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data: https: http:; font-src data:; form-action 'none'";

export function frameDocument(html: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${FRAME_POLICY}"><base target="_blank"><style>body{margin:0;padding:12px;font:14px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff;overflow-wrap:anywhere}img{max-width:100%;height:auto}</style></head><body>${html}</body></html>`;
}

export function EmailFrame({ html, title }: { html: string; title: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(160);
  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    // allow-same-origin (without allow-scripts) only lets the console measure the content to size the frame.
    const measure = () => {
      const body = element.contentDocument?.body;
      if (body) setHeight(Math.min(2000, Math.max(80, body.scrollHeight + 4)));
    };
    element.addEventListener('load', measure);
    return () => element.removeEventListener('load', measure);
  }, []);
  return (
    <iframe
      ref={frame}
      className="email-frame"
      title={title}
      sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
      referrerPolicy="no-referrer"
      srcDoc={frameDocument(html)}
      style={{ height }}
    />
  );
}
