// The agent inbox: filters and the conversation list beside the open thread (one pane at a time on a phone).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type InboxFilters, NO_FILTERS } from '../api/conversations.js';
import type { Session } from '../api/session.js';
import { ConversationList } from './conversation-list.js';
import { Filters } from './filters.js';
import { Thread } from './thread.js';

export function Inbox({
  session,
  locationId,
  conversationId,
}: {
  session: Session;
  locationId: string;
  conversationId: string | null;
}) {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<InboxFilters>(NO_FILTERS);
  return (
    <div className={`inbox ${conversationId ? 'thread-open' : ''}`}>
      <section className="inbox-list" aria-label={t('inbox.listLabel')}>
        <h1 className="visually-hidden">{t('nav.inbox')}</h1>
        <Filters value={filters} onChange={setFilters} />
        <ConversationList locationId={locationId} filters={filters} selectedId={conversationId} />
      </section>
      <section className="inbox-thread" aria-label={t('inbox.threadLabel')}>
        {conversationId ? (
          <Thread key={conversationId} session={session} locationId={locationId} conversationId={conversationId} />
        ) : (
          <div className="empty muted">
            <p>{t('inbox.pick')}</p>
          </div>
        )}
      </section>
    </div>
  );
}
