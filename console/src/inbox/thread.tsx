// An open conversation: who it is with, the agent's actions (read/unread, star, assign), the messages (newest at the
// bottom, older pages on request; the scroller is anchored at the bottom, so nothing jumps when one arrives), the
// typing indicator and the composer.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  assignContact,
  cancelScheduled,
  getConversation,
  getMessages,
  getScheduledMessages,
  keys,
  readingOrder,
  updateConversation,
} from '../api/conversations.js';
import { can, type Session } from '../api/session.js';
import type { Message } from '../api/types.js';
import { Icon } from '../components/icons.js';
import { href } from '../router.js';
import { Composer } from './composer.js';
import { displayName } from './conversation-list.js';
import { useTyping } from './live.js';
import { MessageView } from './message-view.js';

export function Thread({
  session,
  locationId,
  conversationId,
}: {
  session: Session;
  locationId: string;
  conversationId: string;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const conversation = useQuery({
    queryKey: keys.conversation(conversationId),
    queryFn: () => getConversation(conversationId),
  });
  const messages = useInfiniteQuery({
    queryKey: keys.messages(conversationId),
    queryFn: ({ pageParam }) => getMessages(conversationId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) =>
      page.messages.nextPage && page.messages.lastMessageId ? page.messages.lastMessageId : undefined,
  });
  const typing = useTyping(conversationId);
  const heading = useRef<HTMLHeadingElement>(null);
  const writable = can(session, 'conversations.write');

  const refresh = () => {
    void client.invalidateQueries({ queryKey: keys.conversation(conversationId) });
    void client.invalidateQueries({ queryKey: keys.conversations(locationId) });
  };
  const update = useMutation({
    mutationFn: (patch: { unreadCount?: number; starred?: boolean }) =>
      updateConversation(conversationId, locationId, patch),
    onSettled: refresh,
  });
  const assign = useMutation({
    mutationFn: ({ contactId, userId }: { contactId: string; userId: string }) =>
      assignContact(contactId, locationId, userId),
    onSettled: refresh,
  });
  // Set when the agent marks the open conversation unread: it stays unread until they say otherwise.
  const keptUnread = useRef(false);
  const scheduled = useQuery({
    queryKey: keys.scheduled(conversationId),
    queryFn: () => getScheduledMessages(conversationId),
  });
  const cancel = useMutation({
    mutationFn: (message: Message) => cancelScheduled(message),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: keys.messages(conversationId) });
      void client.invalidateQueries({ queryKey: keys.scheduled(conversationId) });
    },
  });

  // Opening a conversation reads it, as in any inbox, and so does a message arriving while it is open; but not once
  // the agent has marked it unread.
  const unread = conversation.data?.unreadCount ?? 0;
  const { mutate } = update;
  useEffect(() => {
    if (unread > 0 && writable && !keptUnread.current) mutate({ unreadCount: 0 });
  }, [unread, writable, mutate]);

  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);

  if (conversation.isError) {
    return (
      <div className="empty">
        <p className="form-error">{conversation.error.message}</p>
        <a href={href('inbox')}>{t('thread.back')}</a>
      </div>
    );
  }
  const data = conversation.data;
  const name = data ? displayName(data) || t('inbox.unknownContact') : '';
  // The history, and after it what is waiting to be sent (a live event may have put a scheduled one in the history).
  const ordered = readingOrder(messages.data?.pages ?? []).filter((message) => message.status !== 'scheduled');
  const waiting = scheduled.data ?? [];

  return (
    <div className="thread">
      <header className="thread-header">
        <a className="back-link" href={href('inbox')}>
          <Icon name="back" />
          <span className="visually-hidden">{t('thread.back')}</span>
        </a>
        <div className="thread-title">
          <h2 ref={heading} tabIndex={-1}>
            {name}
          </h2>
          <p className="muted">{[data?.email, data?.phone].filter(Boolean).join(' · ')}</p>
        </div>
        {data && writable && (
          <div className="thread-actions">
            <button
              type="button"
              onClick={() => {
                keptUnread.current = data.unreadCount === 0;
                update.mutate({ unreadCount: data.unreadCount > 0 ? 0 : 1 });
              }}
            >
              {data.unreadCount > 0 ? t('thread.markRead') : t('thread.markUnread')}
            </button>
            <button type="button" aria-pressed={data.starred} onClick={() => update.mutate({ starred: !data.starred })}>
              <Icon name="star" size={16} /> {data.starred ? t('thread.unstar') : t('thread.star')}
            </button>
            {can(session, 'contacts.write') && (
              <AssignForm
                current={data.assignedTo ?? ''}
                onAssign={(userId) => assign.mutate({ contactId: data.contactId, userId })}
              />
            )}
          </div>
        )}
      </header>
      <div className="messages" aria-live="polite" aria-relevant="additions">
        {typing && (
          <p className="typing" role="status">
            {t('thread.typing', { name })}
          </p>
        )}
        {[...waiting].reverse().map((message) => (
          <MessageView
            key={message.id}
            message={message}
            actions={writable ? { onCancelScheduled: cancel.mutate } : {}}
          />
        ))}
        {[...ordered].reverse().map((message) => (
          <MessageView
            key={message.id}
            message={message}
            actions={writable ? { onCancelScheduled: cancel.mutate } : {}}
          />
        ))}
        {messages.isPending && <p className="muted">{t('common.loading')}</p>}
        {!messages.isPending && ordered.length === 0 && waiting.length === 0 && (
          <p className="muted">{t('thread.noMessages')}</p>
        )}
        {messages.hasNextPage && (
          <button
            type="button"
            className="load-older"
            onClick={() => void messages.fetchNextPage()}
            disabled={messages.isFetchingNextPage}
          >
            {t('thread.loadOlder')}
          </button>
        )}
      </div>
      {data && can(session, 'conversations/message.write') && (
        <Composer locationId={locationId} conversation={data} lastMessage={ordered.at(-1) ?? null} />
      )}
    </div>
  );
}

function AssignForm({ current, onAssign }: { current: string; onAssign: (userId: string) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState(current);
  const id = useId();
  useEffect(() => setValue(current), [current]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onAssign(value.trim());
  };
  return (
    <form className="assign" onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">
        {t('thread.assignLabel')}
      </label>
      <input
        id={id}
        placeholder={t('thread.assignPlaceholder')}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        size={12}
      />
      <button type="submit">{t('thread.assign')}</button>
    </form>
  );
}
