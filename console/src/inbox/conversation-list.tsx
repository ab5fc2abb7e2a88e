// The conversation list: pages from the search API as it pages (keyset, no page numbers), drawn virtually so a
// location of a million conversations scrolls like one of ten. Arrow keys, Home and End move through it.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { type InboxFilters, keys, nextCursor, searchConversations } from '../api/conversations.js';
import type { ConversationItem } from '../api/types.js';
import { Icon } from '../components/icons.js';
import { formatNumber, formatShort } from '../format.js';
import { href } from '../router.js';

const ROW_HEIGHT = 76;

export function displayName(item: Pick<ConversationItem, 'contactName' | 'fullName' | 'email' | 'phone'>): string {
  return item.contactName || item.fullName || item.email || item.phone || '';
}

export function ConversationList({
  locationId,
  filters,
  selectedId,
}: {
  locationId: string;
  filters: InboxFilters;
  selectedId: string | null;
}) {
  const { t, i18n } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const query = useInfiniteQuery({
    queryKey: keys.conversations(locationId, filters),
    queryFn: ({ pageParam }) => searchConversations(locationId, filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => nextCursor(page),
  });
  const rows = query.data?.pages.flatMap((page) => page.conversations) ?? [];
  const total = query.data?.pages[0]?.total ?? 0;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => rows[index]?.id ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - 10) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, lastIndex, rows.length]);

  const move = (event: KeyboardEvent<HTMLAnchorElement>, current: number) => {
    const next =
      event.key === 'ArrowDown'
        ? current + 1
        : event.key === 'ArrowUp'
          ? current - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? rows.length - 1
              : null;
    if (next === null || next < 0 || next >= rows.length) return;
    event.preventDefault();
    virtualizer.scrollToIndex(next, { align: 'auto' });
    requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`a[data-index="${next}"]`)?.focus());
  };

  if (query.isPending) return <p className="list-status">{t('common.loading')}</p>;
  if (query.isError) return <p className="list-status form-error">{query.error.message}</p>;
  if (rows.length === 0) {
    const filtered = filters.status !== 'all' || filters.query || filters.assignedTo || filters.lastMessageType;
    return filtered ? <p className="list-status">{t('inbox.noMatch')}</p> : <NoConversations locationId={locationId} />;
  }

  return (
    <>
      <p className="list-count" aria-live="polite">
        {t('inbox.count', { count: total, formatted: formatNumber(total, i18n.language) })}
      </p>
      <div className="list-scroll" ref={scroller}>
        <ul className="conversation-rows" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <li key={item.key} className="conversation-row" style={{ transform: `translateY(${item.start}px)` }}>
                <a
                  href={href('inbox', row.id)}
                  data-index={item.index}
                  onKeyDown={(event) => move(event, item.index)}
                  aria-current={row.id === selectedId ? 'true' : undefined}
                  className={row.unreadCount > 0 ? 'unread' : undefined}
                >
                  <span className="row-top">
                    <span className="row-name">{displayName(row) || t('inbox.unknownContact')}</span>
                    <time dateTime={new Date(row.lastMessageDate).toISOString()}>
                      {formatShort(row.lastMessageDate, i18n.language)}
                    </time>
                  </span>
                  <span className="row-bottom">
                    <span className="row-preview">{row.lastMessageBody}</span>
                    {row.starred && (
                      <span className="row-star" title={t('thread.starred')}>
                        <Icon name="star" size={14} />
                        <span className="visually-hidden">{t('thread.starred')}</span>
                      </span>
                    )}
                    {row.unreadCount > 0 && (
                      <span className="unread-badge">
                        {formatNumber(row.unreadCount, i18n.language)}
                        <span className="visually-hidden"> {t('inbox.unread', { count: row.unreadCount })}</span>
                      </span>
                    )}
                  </span>
                </a>
              </li>
            );
          })}
        </ul>
        {isFetchingNextPage && <p className="list-status">{t('common.loading')}</p>}
      </div>
    </>
  );
}

function NoConversations({ locationId }: { locationId: string }) {
  const { t } = useTranslation();
  const origin = window.location.origin;
  const curl = [
    `curl -X POST ${origin}/contacts/ -H "Authorization: Bearer $TOKEN" -H "Version: 2021-07-28" \\`,
    `  -H "Content-Type: application/json" -d '{"locationId":"${locationId}","firstName":"Ana","phone":"+15550100"}'`,
    `curl -X POST ${origin}/conversations/messages/inbound -H "Authorization: Bearer $TOKEN" \\`,
    `  -H "Version: 2021-04-15" -H "Content-Type: application/json" \\`,
    `  -d '{"type":"SMS","contactId":"<contact.id from above>","message":"Hello!"}'`,
  ].join('\n');
  return (
    <div className="empty">
      <h2>{t('inbox.emptyTitle')}</h2>
      <p>{t('inbox.emptyText')}</p>
      <pre className="curl">{curl}</pre>
    </div>
  );
}
