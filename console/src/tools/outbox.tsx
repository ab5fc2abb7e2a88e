// The dev outbox, after Mailpit: every SMS and email that would have left, newest first (keyset pages), and a
// viewer that shows an email as a mail client would (headers, sandboxed HTML) or the exact payload.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import type { OutboxRecord } from '../api/types.js';
import { LoadMore, RecordRow } from '../components/record-list.js';
import { formatDateTime } from '../format.js';
import { channelKey } from '../inbox/message-kinds.js';
import { Attachments, EmailCard } from '../inbox/message-view.js';
import { href } from '../router.js';

export function outboxTitle(record: OutboxRecord): string {
  return record.payload.email?.subject || record.payload.body || '';
}

export function Outbox({ locationId, recordId }: { locationId: string; recordId: string | null }) {
  const { t } = useTranslation();
  const query = useInfiniteQuery({
    queryKey: ['outbox', locationId],
    queryFn: ({ pageParam }) =>
      api<{ outbox: OutboxRecord[]; nextAfter: string | null }>(
        'GET',
        `/admin/v1/locations/${encodeURIComponent(locationId)}/outbox`,
        {
          query: { limit: 50, after: pageParam },
        },
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextAfter ?? undefined,
    refetchInterval: 2000,
  });
  const records = query.data?.pages.flatMap((page) => page.outbox) ?? [];
  const selected = records.find((record) => record.id === recordId) ?? null;

  return (
    <div className={`split ${selected ? 'detail-open' : ''}`}>
      <section className="split-list" aria-labelledby="outbox-title">
        <h1 id="outbox-title">{t('outbox.title')}</h1>
        {query.isPending && <p className="muted">{t('common.loading')}</p>}
        {query.isError && <p className="form-error">{query.error.message}</p>}
        {!query.isPending && records.length === 0 && (
          <div className="empty">
            <p>{t('outbox.empty')}</p>
          </div>
        )}
        <ul className="record-list">
          {records.map((record) => (
            <RecordRow
              key={record.id}
              href={href('outbox', record.id)}
              current={record.id === recordId}
              name={recipientOf(record)}
              date={record.dateAdded}
              badge={<span className="chip">{t(channelKey(record.channel))}</span>}
              preview={outboxTitle(record)}
            />
          ))}
        </ul>
        <LoadMore query={query} />
      </section>
      <section className="split-detail" aria-label={t('outbox.viewer')}>
        {selected ? <OutboxViewer record={selected} /> : <p className="muted empty">{t('outbox.pick')}</p>}
      </section>
    </div>
  );
}

function recipientOf(record: OutboxRecord): string {
  return record.payload.email?.to.join(', ') || record.payload.phone || record.payload.conversationId || '';
}

function OutboxViewer({ record }: { record: OutboxRecord }) {
  const { t, i18n } = useTranslation();
  const [tab, setTab] = useState<'message' | 'payload'>('message');
  const email = record.payload.email;
  return (
    <div className="viewer">
      <a className="back-link" href={href('outbox')}>
        {t('thread.back')}
      </a>
      <p className="muted">
        {t(channelKey(record.channel))} · {formatDateTime(record.dateAdded, i18n.language)}
        {record.payload.conversationId && (
          <>
            {' · '}
            <a href={href('inbox', record.payload.conversationId)}>{t('outbox.openConversation')}</a>
          </>
        )}
      </p>
      <div className="tabs" role="tablist" aria-label={t('outbox.viewer')}>
        {(['message', 'payload'] as const).map((name) => (
          <button key={name} type="button" role="tab" aria-selected={tab === name} onClick={() => setTab(name)}>
            {t(`outbox.tabs.${name}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'payload' ? (
          <pre className="json">{JSON.stringify(record.payload, null, 2)}</pre>
        ) : email ? (
          <EmailCard email={{ ...email, body: email.html }} />
        ) : (
          <div className="message outbound">
            <dl className="email-headers">
              <dt>{t('email.to')}</dt>
              <dd>{record.payload.phone ?? ''}</dd>
              {record.payload.fromNumber && (
                <>
                  <dt>{t('email.from')}</dt>
                  <dd>{record.payload.fromNumber}</dd>
                </>
              )}
            </dl>
            <p className="message-body">{record.payload.body}</p>
          </div>
        )}
        <Attachments urls={record.payload.attachments ?? []} />
      </div>
    </div>
  );
}
