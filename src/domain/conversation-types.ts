// Conversation channel types: a string in search results, a number in get-by-id (docs/behaviour.md#conversation-types).
export const CONVERSATION_TYPES = {
  1: 'TYPE_PHONE',
  2: 'TYPE_EMAIL',
  3: 'TYPE_FB_MESSENGER',
  4: 'TYPE_REVIEW',
  5: 'TYPE_GROUP_SMS',
  6: 'TYPE_INTERNAL_CHAT',
} as const;

export type ConversationTypeNumber = keyof typeof CONVERSATION_TYPES;

export const TYPE_PHONE = 1;
export const TYPE_EMAIL = 2;

export function conversationTypeName(type: number): string {
  return CONVERSATION_TYPES[type as ConversationTypeNumber] ?? 'TYPE_PHONE';
}

/** A new conversation is a phone conversation unless the contact can only be reached by email. */
export function initialConversationType(contact: { phone: string | null; email: string | null }): number {
  return !contact.phone && contact.email ? TYPE_EMAIL : TYPE_PHONE;
}
