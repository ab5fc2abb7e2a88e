// What a unit of work records that it changed: the intents the event log (src/events) turns into numbered domain
// events in the same transaction. They live with the unit of work, which collects them, so the store needs nothing
// from the layers above it.

import type { ConversationRow } from './repositories/conversations.js';

/** What a use case emits inside its transaction; the log turns it into a recorded event with a snapshot. */
export type EventIntent =
  | { type: 'message.created' | 'message.updated'; locationId: string; messageId: string; emailId?: string }
  | { type: 'conversation.updated'; locationId: string; conversationId: string; changes: ConversationChange[] }
  | { type: 'conversation.deleted'; locationId: string; conversation: ConversationRow };

export type ConversationChange = 'lastMessage' | 'unreadCount' | 'starred' | 'assignedTo' | 'followers' | 'feedback';
