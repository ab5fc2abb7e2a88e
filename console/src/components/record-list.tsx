// The rows of the tools' record lists (request journal, dev outbox, webhook deliveries): a link with a name and its
// time on top, a badge and a preview below; and the button that loads a list's next page.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatShort } from '../format.js';

export function RecordRow(props: {
  href: string;
  current: boolean;
  name: ReactNode;
  /** ISO date of the record. */
  date: string;
  badge: ReactNode;
  preview: ReactNode;
}) {
  const { i18n } = useTranslation();
  return (
    <li>
      <a href={props.href} aria-current={props.current ? 'true' : undefined}>
        <span className="row-top">
          <span className="row-name">{props.name}</span>
          <time dateTime={props.date}>{formatShort(props.date, i18n.language)}</time>
        </span>
        <span className="row-bottom">
          {props.badge}
          <span className="row-preview">{props.preview}</span>
        </span>
      </a>
    </li>
  );
}

/** The next page of an infinite query, when it has one. */
export function LoadMore({
  query,
}: {
  query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
}) {
  const { t } = useTranslation();
  if (!query.hasNextPage) return null;
  return (
    <button type="button" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
      {t('common.loadMore')}
    </button>
  );
}
