// What a location's stream shows: every stored event with its snapshot, and every typing signal.
import type { StoredEvent, StreamView, TypingEvent } from './types.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function presentTyping(event: TypingEvent) {
  return {
    type: 'typing',
    locationId: event.locationId,
    conversationId: event.conversationId,
    contactId: event.contactId,
    visitorId: event.visitorId,
    actor: event.actor,
    isTyping: event.isTyping,
    ...(event.expired ? { expired: true } : {}),
    ttlMs: event.ttlMs,
    dateAdded: iso(event.at),
  };
}

export function presentStoredEvent(event: StoredEvent) {
  return {
    id: event.id,
    seq: event.seq,
    type: event.type,
    locationId: event.locationId,
    dateAdded: iso(event.createdAt),
    ...event.payload,
  };
}

export const locationView: StreamView = {
  event: (event) => ({ id: event.seq, event: event.type, data: presentStoredEvent(event) }),
  typing: (event) => ({ event: 'typing', data: presentTyping(event) }),
};

/**
 * The stream of a token without `conversations/message.readonly`: it never shows more than the REST API would to the
 * same token, so message and email bodies are left out of every event (the conversation, which
 * `conversations.readonly` reads anyway, stays) and only the message's id says which one changed.
 */
export const locationViewWithoutMessages: StreamView = {
  event: (event) => {
    const { message, email, ...rest } = event.payload;
    const messageId = typeof message?.id === 'string' ? { messageId: message.id } : {};
    return {
      id: event.seq,
      event: event.type,
      data: presentStoredEvent({ ...event, payload: { ...rest, ...messageId } as typeof event.payload }),
    };
  },
  typing: locationView.typing,
};
