// The inbox's data: the search API paged as it pages (startAfterDate = the last item's sort value), a thread's
// messages newest page first, and the writes an agent makes. Query keys are built here, in one place.
import type { QueryClient } from '@tanstack/react-query';
import { api, type Query } from './client.js';
import type { ConversationItem, Email, Message, MessagesPage, SearchPage } from './types.js';

export const PAGE_SIZE = 50;

export interface InboxFilters {
  status: 'all' | 'unread' | 'starred' | 'read';
  assignedTo: string;
  lastMessageType: string;
  query: string;
}

export const NO_FILTERS: InboxFilters = { status: 'all', assignedTo: '', lastMessageType: '', query: '' };

export const keys = {
  conversations: (locationId: string, filters?: InboxFilters) =>
    filters ? (['conversations', locationId, filters] as const) : (['conversations', locationId] as const),
  conversation: (id: string) => ['conversation', id] as const,
  messages: (conversationId: string) => ['messages', conversationId] as const,
  scheduled: (conversationId: string) => ['scheduled', conversationId] as const,
  email: (id: string) => ['email', id] as const,
};

/** The cursor of the page after this one: the sort value of its last conversation, or none at the end. */
export function nextCursor(page: SearchPage, limit = PAGE_SIZE): string | undefined {
  if (page.conversations.length < limit) return undefined;
  const last = page.conversations.at(-1);
  return last ? last.sort.join(',') : undefined;
}

export function searchQuery(locationId: string, filters: InboxFilters, cursor: string | undefined): Query {
  return {
    locationId,
    limit: PAGE_SIZE,
    status: filters.status === 'all' ? undefined : filters.status,
    assignedTo: filters.assignedTo || undefined,
    lastMessageType: filters.lastMessageType || undefined,
    query: filters.query.trim() || undefined,
    startAfterDate: cursor,
  };
}

export function searchConversations(locationId: string, filters: InboxFilters, cursor?: string) {
  return api<SearchPage>('GET', '/conversations/search', { query: searchQuery(locationId, filters, cursor) });
}

export function getConversation(id: string) {
  return api<ConversationItem>('GET', `/conversations/${encodeURIComponent(id)}`);
}

export function getMessages(conversationId: string, lastMessageId?: string) {
  return api<MessagesPage>('GET', `/conversations/${encodeURIComponent(conversationId)}/messages`, {
    query: { limit: 50, lastMessageId },
  });
}

/** The conversation's messages waiting for their time, soonest first (the history lists them once sent). */
export async function getScheduledMessages(conversationId: string): Promise<Message[]> {
  const list = await api<{ messages: Message[] }>(
    'GET',
    `/conversations/${encodeURIComponent(conversationId)}/messages/scheduled`,
  );
  return list.messages;
}

/**
 * Messages of loaded pages (newest page first, each newest first) in reading order: oldest at the top. Messages of
 * the same instant (a virtual clock that has not moved) keep the API's order, reversed: the sort is stable.
 */
export function readingOrder(pages: MessagesPage[]): Message[] {
  const seen = new Set<string>();
  const out: Message[] = [];
  for (const page of pages) {
    for (const message of page.messages.messages) {
      if (seen.has(message.id)) continue;
      seen.add(message.id);
      out.push(message);
    }
  }
  return out.reverse().sort((a, b) => a.dateAdded.localeCompare(b.dateAdded));
}

export function getEmail(id: string): Promise<Email> {
  return api<Email>('GET', `/conversations/messages/email/${encodeURIComponent(id)}`);
}

export interface Outgoing {
  type: string;
  contactId: string;
  conversationId: string;
  message?: string;
  subject?: string;
  html?: string;
  attachments?: string[];
  scheduledTimestamp?: number;
}

export function sendMessage(outgoing: Outgoing) {
  return api<{ messageId: string; conversationId: string }>('POST', '/conversations/messages', { body: outgoing });
}

export function updateConversation(id: string, locationId: string, patch: { unreadCount?: number; starred?: boolean }) {
  return api('PUT', `/conversations/${encodeURIComponent(id)}`, { body: { locationId, ...patch } });
}

/**
 * Assigns a conversation as HighLevel does: through its contact's `assignedTo`, which the conversation follows (the
 * conversation update takes no assignee). An empty user id unassigns.
 */
export function assignContact(contactId: string, locationId: string, userId: string) {
  return api('PUT', `/contacts/${encodeURIComponent(contactId)}`, {
    body: { locationId, assignedTo: userId || null },
  });
}

export function cancelScheduled(message: Message) {
  const emailIds = message.meta.email?.messageIds ?? [];
  const path =
    emailIds.length > 0
      ? `/conversations/messages/email/${encodeURIComponent(emailIds.at(-1) ?? '')}/schedule`
      : `/conversations/messages/${encodeURIComponent(message.id)}/schedule`;
  return api('DELETE', path);
}

export async function uploadAttachments(locationId: string, conversationId: string, files: File[]): Promise<string[]> {
  const form = new FormData();
  form.set('conversationId', conversationId);
  form.set('locationId', locationId);
  for (const file of files) form.append('fileAttachment', file, file.name);
  const body = await api<{ uploadedFiles: Record<string, string> }>('POST', '/conversations/messages/upload', { form });
  return Object.values(body.uploadedFiles);
}

/** The agent's typing signal, which live chat visitors see (the endpoint names the visitor; the contact stands in). */
export function sendTyping(locationId: string, conversation: { id: string; contactId: string }, isTyping: boolean) {
  return api('POST', '/conversations/providers/live-chat/typing', {
    body: { locationId, conversationId: conversation.id, isTyping, visitorId: conversation.contactId },
  });
}

/** A realtime message event: put the message into the open thread's cache at once, and refresh the lists. */
export function applyMessageEvent(client: QueryClient, locationId: string, message: Message) {
  client.setQueryData<{ pages: MessagesPage[]; pageParams: unknown[] }>(
    keys.messages(message.conversationId),
    (data) => {
      if (!data || data.pages.length === 0) return data;
      // A message already loaded (a status change) is replaced where it is; a new one is the newest of the first page.
      const known = data.pages.some((page) => page.messages.messages.some((m) => m.id === message.id));
      const pages = data.pages.map((page, index): MessagesPage => {
        const messages = known
          ? page.messages.messages.map((m) => (m.id === message.id ? message : m))
          : index === 0
            ? [message, ...page.messages.messages]
            : page.messages.messages;
        return { messages: { ...page.messages, messages } };
      });
      return { ...data, pages };
    },
  );
  void client.invalidateQueries({ queryKey: keys.conversations(locationId) });
  // A scheduled message created, sent or cancelled changes the thread's list of what is waiting.
  void client.invalidateQueries({ queryKey: keys.scheduled(message.conversationId) });
}
