// What a unit of work records that it changed: the intents the event log (src/events) turns into numbered domain
// events in the same transaction. They live with the unit of work, which collects them, so the store needs nothing
// from the layers above it.

/** What a use case emits inside its transaction; the log turns it into a recorded event with a snapshot. */
export type EventIntent =
  | { type: 'message.created' | 'message.updated'; locationId: string; messageId: string; emailId?: string }
  | { type: 'conversation.updated'; locationId: string; conversationId: string; changes: ConversationChange[] }
  | { type: 'conversation.deleted'; locationId: string; conversation: ConversationSnapshot };

export type ConversationChange = 'lastMessage' | 'unreadCount' | 'starred' | 'assignedTo' | 'followers' | 'feedback';

export interface ConversationSnapshot {
  id: string;
  contactId: string;
  locationId: string;
  unreadCount: number;
  inbox: boolean;
  starred: boolean;
  deleted: boolean;
  assignedTo: string | null;
  lastMessageBody: string | null;
  lastMessageType: string | null;
  lastMessageDate: number;
}
