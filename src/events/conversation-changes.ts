// Which observable parts of a conversation a patch changes, for conversation.updated events.
import type { ConversationPatch } from '../store/repositories/conversations.js';
import type { ConversationChange, Emit } from './types.js';

const CHANGES: [keyof ConversationPatch, ConversationChange][] = [
  ['last_message_at', 'lastMessage'],
  ['last_message_body', 'lastMessage'],
  ['unread_count', 'unreadCount'],
  ['starred', 'starred'],
  ['assigned_to', 'assignedTo'],
  ['feedback', 'feedback'],
];

export function conversationChanges(patch: ConversationPatch): ConversationChange[] {
  return [...new Set(CHANGES.filter(([column]) => patch[column] !== undefined).map(([, change]) => change))];
}

/** Emits conversation.updated for a patch that changes something a client can see. */
export function emitConversationPatch(
  emit: Emit,
  locationId: string,
  conversationId: string,
  patch: ConversationPatch,
) {
  const changes = conversationChanges(patch);
  if (changes.length > 0) emit({ type: 'conversation.updated', locationId, conversationId, changes });
}
