// One message of a thread, drawn as an agent expects for its type: bubbles with direction and status, emails with
// their headers and sandboxed HTML, calls with the recording and transcript, comments, activity lines. Every text
// is rendered as text (React escapes it); only http(s) URLs become links.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, sessionHeaders } from '../api/client.js';
import { getEmail, keys } from '../api/conversations.js';
import type { Message } from '../api/types.js';
import { Icon } from '../components/icons.js';
import { formatDateTime, formatDuration } from '../format.js';
import { EmailFrame } from './email-frame.js';
import { channelKey, errorText, fileName, isAudio, isImage, kindOf, safeUrl } from './message-kinds.js';

export interface MessageActions {
  onCancelScheduled?: (message: Message) => void;
}

export function MessageView({ message, actions = {} }: { message: Message; actions?: MessageActions }) {
  const kind = kindOf(message);
  if (kind === 'activity') return <ActivityLine message={message} />;
  if (kind === 'comment') return <Comment message={message} />;
  return (
    <article className={`message ${message.direction === 'outbound' ? 'outbound' : 'inbound'} kind-${kind}`}>
      {kind === 'email' ? (
        <EmailMessage message={message} />
      ) : kind === 'call' ? (
        <CallMessage message={message} />
      ) : (
        <Bubble message={message} />
      )}
      <Attachments urls={message.attachments} />
      <MessageFooter message={message} actions={actions} />
    </article>
  );
}

function Bubble({ message }: { message: Message }) {
  return message.body ? <p className="message-body">{message.body}</p> : null;
}

function MessageFooter({ message, actions }: { message: Message; actions: MessageActions }) {
  const { t, i18n } = useTranslation();
  const failure = message.status === 'failed' ? errorText(message.error) : null;
  return (
    <footer className="message-footer">
      <span>{t(channelKey(message.messageType))}</span>
      <time dateTime={message.dateAdded}>{formatDateTime(message.dateAdded, i18n.language)}</time>
      {message.status && (
        <span className={`status status-${message.status}`}>
          {message.status === 'failed' && <Icon name="alert" size={14} />}
          {t(`status.${message.status}`, { defaultValue: message.status })}
        </span>
      )}
      {message.status === 'scheduled' && actions.onCancelScheduled && (
        <button type="button" className="link-button" onClick={() => actions.onCancelScheduled?.(message)}>
          {t('thread.cancelScheduled')}
        </button>
      )}
      {failure && <span className="failure">{failure}</span>}
    </footer>
  );
}

function Comment({ message }: { message: Message }) {
  const { t, i18n } = useTranslation();
  return (
    <article className="message comment">
      <header>
        <Icon name="note" size={14} /> {t('thread.internalComment')}
      </header>
      <p className="message-body">{message.body}</p>
      <footer className="message-footer">
        <time dateTime={message.dateAdded}>{formatDateTime(message.dateAdded, i18n.language)}</time>
      </footer>
    </article>
  );
}

function ActivityLine({ message }: { message: Message }) {
  const { t, i18n } = useTranslation();
  return (
    <p className="activity">
      <span>{t(channelKey(message.messageType))}</span>
      {message.body ? <span>: {message.body}</span> : null}{' '}
      <time dateTime={message.dateAdded}>{formatDateTime(message.dateAdded, i18n.language)}</time>
    </p>
  );
}

export function Attachments({ urls }: { urls: string[] }) {
  const { t } = useTranslation();
  const safe = urls.map((url) => ({ url, href: safeUrl(url) }));
  if (safe.length === 0) return null;
  return (
    <ul className="attachments" aria-label={t('thread.attachments')}>
      {safe.map(({ url, href }) => (
        <li key={url}>
          {href && isImage(href) ? (
            <a href={href} target="_blank" rel="noreferrer noopener">
              <img src={href} alt={fileName(href)} loading="lazy" width={160} height={120} />
            </a>
          ) : href && isAudio(href) ? (
            // biome-ignore lint/a11y/useMediaCaption: customers' voice notes come without captions
            <audio controls preload="none" src={href} />
          ) : href ? (
            <a href={href} target="_blank" rel="noreferrer noopener">
              <Icon name="clip" size={14} /> {fileName(href)}
            </a>
          ) : (
            <span className="inert">{url}</span>
          )}
        </li>
      ))}
    </ul>
  );
}

function EmailMessage({ message }: { message: Message }) {
  const ids = message.meta.email?.messageIds ?? [];
  if (ids.length === 0) return <Bubble message={message} />;
  return (
    <>
      {ids.map((id) => (
        <EmailPart key={id} id={id} />
      ))}
    </>
  );
}

function EmailPart({ id }: { id: string }) {
  const { t } = useTranslation();
  const email = useQuery({ queryKey: keys.email(id), queryFn: () => getEmail(id) });
  if (email.isPending) return <p className="muted">{t('common.loading')}</p>;
  if (email.isError) return <p className="form-error">{email.error.message}</p>;
  return <EmailCard email={email.data} />;
}

export function EmailCard({
  email,
}: {
  email: { subject?: string | null; from: string; to: string[]; cc: string[]; body: string; contentType?: string };
}) {
  const { t } = useTranslation();
  const subject = email.subject || t('thread.noSubject');
  const html = email.contentType !== 'text/plain';
  return (
    <div className="email">
      <h3 className="email-subject">{subject}</h3>
      <dl className="email-headers">
        <dt>{t('email.from')}</dt>
        <dd>{email.from}</dd>
        <dt>{t('email.to')}</dt>
        <dd>{email.to.join(', ')}</dd>
        {email.cc.length > 0 && (
          <>
            <dt>{t('email.cc')}</dt>
            <dd>{email.cc.join(', ')}</dd>
          </>
        )}
      </dl>
      {html ? (
        <EmailFrame html={email.body} title={t('email.frameTitle', { subject })} />
      ) : (
        <p className="message-body">{email.body}</p>
      )}
    </div>
  );
}

interface Sentence {
  sentenceIndex: number;
  transcript: string;
  startTime: number;
  mediaChannel?: number;
  speaker?: string;
}

function CallMessage({ message }: { message: Message }) {
  const { t, i18n } = useTranslation();
  const [recording, setRecording] = useState<string | 'loading' | 'none' | null>(null);
  const [transcript, setTranscript] = useState<Sentence[] | 'none' | null>(null);
  const duration = Number(message.meta.callDuration ?? Number.NaN);

  // The recording needs the session's headers, which an <audio src> cannot send: fetch it, then play the blob.
  const loadRecording = async () => {
    setRecording('loading');
    const response = await fetch(
      `/conversations/messages/${encodeURIComponent(message.id)}/locations/${encodeURIComponent(message.locationId)}/recording`,
      { headers: sessionHeaders(), credentials: 'same-origin' },
    );
    setRecording(response.ok ? URL.createObjectURL(await response.blob()) : 'none');
  };
  const loadTranscript = async () => {
    try {
      const sentences = await api<Sentence[]>(
        'GET',
        `/conversations/locations/${encodeURIComponent(message.locationId)}/messages/${encodeURIComponent(message.id)}/transcription`,
      );
      setTranscript(Array.isArray(sentences) && sentences.length > 0 ? sentences : 'none');
    } catch {
      setTranscript('none');
    }
  };

  return (
    <div className="call">
      <p>
        <Icon name="phone" size={14} /> {t(message.direction === 'outbound' ? 'call.outbound' : 'call.inbound')}
        {message.meta.callStatus
          ? ` · ${t(`call.statuses.${message.meta.callStatus}`, { defaultValue: message.meta.callStatus })}`
          : ''}
        {Number.isFinite(duration) ? ` · ${formatDuration(duration, i18n.language)}` : ''}
      </p>
      {message.body && <p className="message-body">{message.body}</p>}
      <div className="call-actions">
        {recording === null && (
          <button type="button" onClick={loadRecording}>
            {t('call.playRecording')}
          </button>
        )}
        {recording === 'loading' && <span className="muted">{t('common.loading')}</span>}
        {recording === 'none' && <span className="muted">{t('call.noRecording')}</span>}
        {recording && recording !== 'loading' && recording !== 'none' && (
          // biome-ignore lint/a11y/useMediaCaption: the transcript below is the call's text alternative
          <audio controls autoPlay src={recording} />
        )}
        {transcript === null && (
          <button type="button" onClick={loadTranscript}>
            {t('call.showTranscript')}
          </button>
        )}
      </div>
      {transcript === 'none' && <p className="muted">{t('call.noTranscript')}</p>}
      {Array.isArray(transcript) && (
        <ol className="transcript">
          {transcript.map((sentence) => (
            <li key={`${sentence.mediaChannel ?? 0}-${sentence.sentenceIndex}`}>
              <span className="speaker">
                {sentence.speaker ?? t('call.channel', { channel: sentence.mediaChannel ?? 1 })}
              </span>{' '}
              {sentence.transcript}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
