// What a visitor's stream shows: live chat messages of its contact from the session's start on, and the agent's
// typing in its conversation. Everything else in the location's log stays hidden.

import { SEND_TYPES } from '../domain/message-types.js';
import { presentVisitorMessage } from '../presenters/live-chat.js';
import type { SessionRow } from '../store/repositories/live-chat.js';
import type { StreamView } from './types.js';

export function visitorView(session: SessionRow): StreamView {
  return {
    event(event) {
      const message = event.payload.message;
      if (!message || (event.type !== 'message.created' && event.type !== 'message.updated')) return null;
      if (message.contactId !== session.contact_id || message.type !== SEND_TYPES.Live_Chat) return null;
      if (Date.parse(String(message.dateAdded)) < session.date_added) return null;
      return { id: event.seq, event: event.type, data: presentVisitorMessage(message) };
    },
    typing(event) {
      if (event.actor !== 'agent' || event.contactId !== session.contact_id) return null;
      const data = { isTyping: event.isTyping, ttlMs: event.ttlMs, ...(event.expired ? { expired: true } : {}) };
      return { event: 'typing', data };
    },
  };
}
