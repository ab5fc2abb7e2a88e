// An agent (or bot) typing in a live chat (POST /conversations/providers/live-chat/typing): an ephemeral signal
// to the conversation's visitors and the location's streams, never stored.
import type { RealtimeHub } from '../../realtime/hub.js';
import type { Store } from '../../store/database.js';
import { findConversation } from '../../store/repositories/conversations.js';
import { notFound } from '../errors.js';

export interface AgentTypingInput {
  conversationId: string;
  /** The visitor the agent is answering. Carried as given: every session of the conversation's contact sees it. */
  visitorId: string;
  isTyping: boolean;
}

export class LiveChatTypingService {
  constructor(
    private readonly store: Store,
    private readonly realtime: RealtimeHub,
  ) {}

  async agentTyping(locationId: string, input: AgentTypingInput): Promise<void> {
    const conversation = await findConversation(this.store.db, locationId, input.conversationId);
    if (!conversation) throw notFound('Conversation');
    this.realtime.publishTyping({
      locationId,
      conversationId: conversation.id,
      contactId: conversation.contact_id,
      actor: 'agent',
      visitorId: input.visitorId,
      isTyping: input.isTyping,
    });
  }
}
