// The composer: channel, text or email (subject and body), attachments through the upload API, schedule for later,
// or an internal comment. Ctrl/Cmd+Enter sends. On live chat, the visitor sees the agent typing.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.js';
import { keys, type Outgoing, sendMessage, sendTyping, uploadAttachments } from '../api/conversations.js';
import type { ConversationItem, Message } from '../api/types.js';
import { Icon } from '../components/icons.js';

export const SEND_CHANNELS = ['SMS', 'Email', 'WhatsApp', 'Live_Chat', 'FB', 'IG', 'InternalComment'] as const;
export type SendChannel = (typeof SEND_CHANNELS)[number];

const CHANNEL_OF_TYPE: Record<string, SendChannel> = {
  TYPE_SMS: 'SMS',
  TYPE_EMAIL: 'Email',
  TYPE_WHATSAPP: 'WhatsApp',
  TYPE_LIVE_CHAT: 'Live_Chat',
  TYPE_FACEBOOK: 'FB',
  TYPE_INSTAGRAM: 'IG',
};

/** The channel a reply goes out on by default: the last message's. */
export function defaultChannel(last: Pick<Message, 'messageType'> | null): SendChannel {
  return (last && CHANNEL_OF_TYPE[last.messageType]) || 'SMS';
}

/** Plain text typed by the agent as the HTML of an email: escaped, lines kept. */
export function textToHtml(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return escaped
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph.replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** A local datetime-local value as UTC seconds, the API's scheduledTimestamp. */
export function scheduledSeconds(local: string): number | undefined {
  if (!local) return undefined;
  const ms = new Date(local).getTime();
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

export function Composer({
  locationId,
  conversation,
  lastMessage,
}: {
  locationId: string;
  conversation: ConversationItem;
  lastMessage: Message | null;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const ids = { channel: useId(), subject: useId(), body: useId(), files: useId(), schedule: useId(), error: useId() };
  const [channel, setChannel] = useState<SendChannel>(() => defaultChannel(lastMessage));
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [later, setLater] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const typingSent = useRef(false);
  // A comment has no attach button, so files chosen on another channel stay out of it (as the schedule does).
  const attached = channel === 'InternalComment' ? [] : files;

  const send = useMutation({
    mutationFn: async () => {
      const attachments = attached.length > 0 ? await uploadAttachments(locationId, conversation.id, attached) : [];
      const outgoing: Outgoing = {
        type: channel,
        contactId: conversation.contactId,
        conversationId: conversation.id,
        ...(channel === 'Email' ? { subject, html: textToHtml(body) } : { message: body }),
        ...(attachments.length > 0 ? { attachments } : {}),
        ...(scheduledSeconds(later) !== undefined && channel !== 'InternalComment'
          ? { scheduledTimestamp: scheduledSeconds(later) }
          : {}),
      };
      return sendMessage(outgoing);
    },
    onSuccess: () => {
      setBody('');
      setSubject('');
      setFiles([]);
      setLater('');
      if (fileInput.current) fileInput.current.value = '';
      void client.invalidateQueries({ queryKey: keys.messages(conversation.id) });
      void client.invalidateQueries({ queryKey: keys.scheduled(conversation.id) });
    },
  });

  // Typing: on while the agent types into a live chat, off when they stop for a few seconds or send.
  useEffect(() => {
    if (channel !== 'Live_Chat' || body === '') return;
    if (!typingSent.current) {
      typingSent.current = true;
      void sendTyping(locationId, conversation, true).catch(() => {});
    }
    const timer = setTimeout(() => {
      typingSent.current = false;
      void sendTyping(locationId, conversation, false).catch(() => {});
    }, 4000);
    return () => clearTimeout(timer);
  }, [body, channel, locationId, conversation]);

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!canSend) return;
    if (typingSent.current) {
      typingSent.current = false;
      void sendTyping(locationId, conversation, false).catch(() => {});
    }
    send.mutate();
  };
  const onKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit();
  };
  const canSend =
    !send.isPending && (body.trim() !== '' || attached.length > 0) && (channel !== 'Email' || subject.trim() !== '');
  const error = send.error ? (send.error instanceof ApiError ? send.error.message : t('composer.failed')) : null;

  return (
    <form
      className={`composer ${channel === 'InternalComment' ? 'is-comment' : ''}`}
      onSubmit={submit}
      aria-label={t('composer.label')}
    >
      <div className="composer-row">
        <label htmlFor={ids.channel} className="visually-hidden">
          {t('composer.channel')}
        </label>
        <select id={ids.channel} value={channel} onChange={(event) => setChannel(event.target.value as SendChannel)}>
          {SEND_CHANNELS.map((option) => (
            <option key={option} value={option}>
              {t(`composer.channels.${option}`)}
            </option>
          ))}
        </select>
        {channel === 'Email' && (
          <>
            <label htmlFor={ids.subject} className="visually-hidden">
              {t('composer.subject')}
            </label>
            <input
              id={ids.subject}
              className="grow"
              placeholder={t('composer.subject')}
              value={subject}
              onChange={(event) => setSubject(event.target.value)}
            />
          </>
        )}
      </div>
      <label htmlFor={ids.body} className="visually-hidden">
        {channel === 'InternalComment' ? t('composer.commentLabel') : t('composer.bodyLabel')}
      </label>
      <textarea
        id={ids.body}
        rows={3}
        value={body}
        placeholder={channel === 'InternalComment' ? t('composer.commentPlaceholder') : t('composer.bodyPlaceholder')}
        onChange={(event) => setBody(event.target.value)}
        onKeyDown={onKey}
        aria-describedby={error ? ids.error : undefined}
      />
      <div className="composer-row">
        {channel !== 'InternalComment' && (
          <>
            <label htmlFor={ids.files} className="file-button">
              <Icon name="clip" size={16} /> {t('composer.attach')}
              {files.length > 0 ? ` (${files.length})` : ''}
            </label>
            <input
              id={ids.files}
              ref={fileInput}
              type="file"
              multiple
              className="visually-hidden"
              onChange={(event) => setFiles([...(event.target.files ?? [])])}
            />
            <label htmlFor={ids.schedule} className="schedule-label">
              <Icon name="clock" size={16} /> {t('composer.schedule')}
            </label>
            <input
              id={ids.schedule}
              type="datetime-local"
              value={later}
              onChange={(event) => setLater(event.target.value)}
            />
          </>
        )}
        <button type="submit" className="primary send" disabled={!canSend}>
          <Icon name="send" size={16} />{' '}
          {channel === 'InternalComment'
            ? t('composer.addComment')
            : later
              ? t('composer.scheduleSend')
              : t('composer.send')}
        </button>
      </div>
      {error && (
        <p id={ids.error} className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
