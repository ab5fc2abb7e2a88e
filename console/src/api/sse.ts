// Server-sent events read over fetch (EventSource cannot send the CSRF header): a frame parser, and a stream that
// resumes after a disconnect from the last event id it saw, so no event between the two is lost.
import { sessionHeaders, withQuery } from './client.js';

export interface SseFrame {
  id: string | null;
  event: string;
  data: string;
}

/** Splits text into complete frames; returns them and the unfinished rest to prepend to the next chunk. */
export function parseFrames(buffer: string): { frames: SseFrame[]; rest: string } {
  const frames: SseFrame[] = [];
  // A chunk may end between the \r and \n of one line break: keep the \r for the next chunk.
  const held = buffer.endsWith('\r') ? '\r' : '';
  const normalised = (held ? buffer.slice(0, -1) : buffer).replace(/\r\n?/g, '\n');
  const blocks = normalised.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let id: string | null = null;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) frames.push({ id, event, data: data.join('\n') });
  }
  return { frames, rest: rest + held };
}

export type StreamState = 'connecting' | 'live' | 'reconnecting';

export interface StreamOptions {
  path: string;
  query: Record<string, string>;
  onFrame: (frame: SseFrame) => void;
  onState?: (state: StreamState) => void;
  /** Backoff bounds in ms; the first retry is quick so a blip costs well under a second. */
  retryMs?: { first: number; max: number };
}

/** Opens the stream and keeps it open until the returned function is called. */
export function openStream(options: StreamOptions): () => void {
  const controller = new AbortController();
  const { first, max } = options.retryMs ?? { first: 250, max: 5000 };
  let lastEventId: string | null = null;
  let delay = first;
  let connectedOnce = false;

  const run = async () => {
    while (!controller.signal.aborted) {
      options.onState?.(connectedOnce ? 'reconnecting' : 'connecting');
      try {
        const headers: Record<string, string> = { ...sessionHeaders(), accept: 'text/event-stream' };
        if (lastEventId !== null) headers['last-event-id'] = lastEventId;
        const response = await fetch(withQuery(options.path, options.query), {
          headers,
          credentials: 'same-origin',
          signal: controller.signal,
        });
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        options.onState?.('live');
        connectedOnce = true;
        delay = first;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const { frames, rest } = parseFrames(buffer + value);
          buffer = rest;
          for (const frame of frames) {
            if (frame.id !== null) lastEventId = frame.id;
            options.onFrame(frame);
          }
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(max, delay * 2);
    }
  };
  void run();
  return () => controller.abort();
}
