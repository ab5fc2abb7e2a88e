// The request journal, after WireMock's request log: every public API call of the location, newest first (keyset
// pages), filtered by method, route template and status, with the request and response of the one picked.
import { useInfiniteQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import type { JournalEntry } from '../api/types.js';
import { LoadMore, RecordRow } from '../components/record-list.js';
import { formatDateTime, formatNumber } from '../format.js';
import { href } from '../router.js';
import { SandboxTabs } from './sandbox-tabs.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

interface Filters {
  method: string;
  route: string;
  status: string;
}

const NO_FILTERS: Filters = { method: '', route: '', status: '' };

export function Journal({ locationId, entryId }: { locationId: string; entryId: string | null }) {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const query = useInfiniteQuery({
    queryKey: ['journal', locationId, filters],
    queryFn: ({ pageParam }) =>
      api<{ requests: JournalEntry[]; nextAfter: string | null }>(
        'GET',
        `/admin/v1/locations/${encodeURIComponent(locationId)}/requests`,
        { query: { limit: 50, after: pageParam, ...filters } },
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextAfter ?? undefined,
    refetchInterval: 3000,
  });
  const entries = query.data?.pages.flatMap((page) => page.requests) ?? [];
  const selected = entries.find((entry) => entry.id === entryId) ?? null;

  return (
    <div className={`split ${selected ? 'detail-open' : ''}`}>
      <section className="split-list" aria-labelledby="journal-title">
        <SandboxTabs current="journal" />
        <h2 id="journal-title">{t('sandbox.tabs.journal')}</h2>
        <JournalFilters value={filters} onChange={setFilters} />
        {query.isPending && <p className="muted">{t('common.loading')}</p>}
        {query.isError && <p className="form-error">{query.error.message}</p>}
        {!query.isPending && entries.length === 0 && <p className="muted">{t('sandbox.journal.empty')}</p>}
        <ul className="record-list">
          {entries.map((entry) => (
            <RecordRow
              key={entry.id}
              href={href('sandbox', 'journal', entry.id)}
              current={entry.id === entryId}
              name={
                <>
                  <span className="http-method">{entry.method}</span> {entry.path}
                </>
              }
              date={entry.dateAdded}
              badge={<span className={`http-status http-${String(entry.status)[0]}xx`}>{entry.status}</span>}
              preview={t('sandbox.journal.duration', { ms: formatNumber(entry.durationMs, i18n.language) })}
            />
          ))}
        </ul>
        <LoadMore query={query} />
      </section>
      <section className="split-detail" aria-label={t('sandbox.journal.detail')}>
        {selected ? <JournalDetail entry={selected} /> : <p className="muted empty">{t('sandbox.journal.pick')}</p>}
      </section>
    </div>
  );
}

function JournalFilters({ value, onChange }: { value: Filters; onChange: (next: Filters) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [draft, setDraft] = useState(value);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange({ ...draft, route: draft.route.trim(), status: draft.status.trim() });
  };
  return (
    <form className="filters journal-filters" onSubmit={submit} aria-label={t('sandbox.journal.filters')}>
      <div className="field">
        <label htmlFor={`${id}-method`}>{t('sandbox.journal.method')}</label>
        <select
          id={`${id}-method`}
          value={draft.method}
          onChange={(event) => setDraft({ ...draft, method: event.target.value })}
        >
          <option value="">{t('sandbox.journal.anyMethod')}</option>
          {METHODS.map((method) => (
            <option key={method} value={method}>
              {method}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-status`}>{t('sandbox.journal.status')}</label>
        <input
          id={`${id}-status`}
          placeholder="4xx"
          pattern="[1-5]([0-9]{2}|xx)"
          value={draft.status}
          onChange={(event) => setDraft({ ...draft, status: event.target.value })}
        />
      </div>
      <div className="field grow">
        <label htmlFor={`${id}-route`}>{t('sandbox.journal.route')}</label>
        <input
          id={`${id}-route`}
          placeholder="/conversations/{conversationId}"
          value={draft.route}
          onChange={(event) => setDraft({ ...draft, route: event.target.value })}
        />
      </div>
      <button type="submit">{t('sandbox.journal.apply')}</button>
    </form>
  );
}

function Body({ value }: { value: unknown }) {
  const { t } = useTranslation();
  if (value === null || value === undefined) return <p className="muted">{t('sandbox.journal.noBody')}</p>;
  return <pre className="json">{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>;
}

function JournalDetail({ entry }: { entry: JournalEntry }) {
  const { t, i18n } = useTranslation();
  const query = new URLSearchParams(
    Object.entries(entry.query).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]),
  ).toString();
  return (
    <div className="viewer">
      <a className="back-link" href={href('sandbox', 'journal')}>
        {t('thread.back')}
      </a>
      <h2 className="journal-line">
        <span className="http-method">{entry.method}</span> {entry.path}
        {query ? `?${query}` : ''}
      </h2>
      <dl className="email-headers">
        <dt>{t('sandbox.journal.status')}</dt>
        <dd>
          <span className={`http-status http-${String(entry.status)[0]}xx`}>{entry.status}</span>
        </dd>
        <dt>{t('sandbox.journal.when')}</dt>
        <dd>
          {formatDateTime(entry.dateAdded, i18n.language)} ·{' '}
          {t('sandbox.journal.duration', { ms: formatNumber(entry.durationMs, i18n.language) })}
        </dd>
        <dt>{t('sandbox.journal.route')}</dt>
        <dd>
          <code>{entry.route ?? '—'}</code>
        </dd>
        <dt>{t('sandbox.journal.trace')}</dt>
        <dd>
          <code>{entry.traceId ?? '—'}</code>
        </dd>
        <dt>{t('sandbox.journal.token')}</dt>
        <dd>
          <code>{entry.tokenId ?? '—'}</code>
          {entry.appId ? ` · ${t('sandbox.journal.app')} ${entry.appId}` : ''}
        </dd>
      </dl>
      <h3>{t('sandbox.journal.request')}</h3>
      <Body value={entry.requestBody} />
      <h3>{t('sandbox.journal.response')}</h3>
      <Body value={entry.responseBody} />
    </div>
  );
}
