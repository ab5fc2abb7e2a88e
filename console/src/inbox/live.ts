// Live updates: the location's realtime stream feeds the query cache (messages land in the open thread at once,
// lists refresh) and the typing indicators. The stream resumes from its last event after a disconnect; a `resync`
// (the events missed are no longer in the log) rereads everything.
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { applyMessageEvent, keys } from '../api/conversations.js';
import { openStream, type SseFrame, type StreamState } from '../api/sse.js';
import type { StreamEvent } from '../api/types.js';

/** Who is typing where: conversation id → the time the signal lapses. */
const typing = new Map<string, number>();
const listeners = new Set<() => void>();
let version = 0;

function changed() {
  version += 1;
  for (const listener of listeners) listener();
}

export function useTyping(conversationId: string): boolean {
  useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => version,
  );
  const until = typing.get(conversationId);
  return until !== undefined && until > Date.now();
}

export function handleFrame(client: QueryClient, locationId: string, frame: SseFrame) {
  // The stream lost track of what this page missed (pruned from the log, or the location restored): what
  // it shows may be stale in ways no later event will mend, so read it all again.
  if (frame.event === 'resync') {
    void client.invalidateQueries();
    return;
  }
  let event: StreamEvent;
  try {
    event = JSON.parse(frame.data) as StreamEvent;
  } catch {
    return;
  }
  if (frame.event === 'typing' && event.conversationId && event.actor !== 'agent') {
    const id = event.conversationId;
    if (event.isTyping) typing.set(id, Date.now() + (event.ttlMs ?? 5000));
    else typing.delete(id);
    changed();
    if (event.isTyping) setTimeout(changed, (event.ttlMs ?? 5000) + 50);
    return;
  }
  if ((frame.event === 'message.created' || frame.event === 'message.updated') && event.message) {
    if (event.message.direction === 'inbound' && typing.delete(event.message.conversationId)) changed();
    applyMessageEvent(client, locationId, event.message);
    for (const id of event.message.meta?.email?.messageIds ?? [])
      void client.invalidateQueries({ queryKey: keys.email(id) });
    return;
  }
  if (frame.event.startsWith('conversation.')) {
    void client.invalidateQueries({ queryKey: keys.conversations(locationId) });
    if (event.conversation) void client.invalidateQueries({ queryKey: keys.conversation(event.conversation.id) });
  }
}

export function useLiveUpdates(locationId: string | null): StreamState | 'off' {
  const client = useQueryClient();
  const [state, setState] = useState<StreamState | 'off'>('off');
  useEffect(() => {
    if (!locationId) return;
    return openStream({
      path: '/conversations/events/stream',
      // Only what happens from now on: the lists and threads are read fresh.
      query: { locationId, follow: 'true' },
      onFrame: (frame) => handleFrame(client, locationId, frame),
      onState: setState,
    });
  }, [client, locationId]);
  return state;
}
