// The API reference at /docs (lazy-loaded: the inbox never pays for it): HighLevel's documents as vendored under
// spec/ and Switchboard's own (extensions, admin), each operation with a "try it" against this server.
// Hash routes: /docs#/{document}/{operationId}.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from '../api/session.js';
import { LanguageSwitch } from '../components/language-switch.js';
import { OperationView } from './operation-view.js';
import { DOCUMENTS, type DocumentName, loadDocument, type Operation } from './spec.js';
import './reference.css';

function parseHash(hash: string): { document: DocumentName; operationId: string | null } {
  const [name = '', operationId = ''] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const document = (DOCUMENTS as readonly string[]).includes(name) ? (name as DocumentName) : 'conversations';
  return { document, operationId: operationId || null };
}

const link = (document: string, operationId?: string) =>
  `#/${[document, ...(operationId ? [operationId] : [])].map(encodeURIComponent).join('/')}`;

function useHash() {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const update = () => setHash(window.location.hash);
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return parseHash(hash);
}

function groupByTag(operations: Operation[]): [string, Operation[]][] {
  const groups = new Map<string, Operation[]>();
  for (const operation of operations) groups.set(operation.tag, [...(groups.get(operation.tag) ?? []), operation]);
  return [...groups];
}

export default function Reference({ session }: { session: Session | null }) {
  const { t } = useTranslation();
  const { document, operationId } = useHash();
  const [filter, setFilter] = useState('');
  const filterId = useId();
  const spec = useQuery({ queryKey: ['spec', document], queryFn: () => loadDocument(document), staleTime: Infinity });

  const operations = spec.data?.operations ?? [];
  const selected = operations.find((operation) => operation.operationId === operationId) ?? null;
  const shown = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    return operations.filter((operation) => {
      const haystack = `${operation.method} ${operation.path} ${operation.summary} ${operation.tag}`.toLowerCase();
      return words.every((word) => haystack.includes(word));
    });
  }, [operations, filter]);

  useEffect(() => {
    window.document.title = `${selected ? `${selected.summary} · ` : ''}${t('reference.title')} · Switchboard`;
  }, [selected, t]);

  return (
    <div className="reference" data-selected={selected ? 'true' : 'false'}>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <a className="brand" href="/">
          Switchboard
        </a>
        <span className="reference-title">{t('reference.title')}</span>
        <div className="topbar-tools">
          <a href="/">{t('reference.back')}</a>
          <LanguageSwitch />
        </div>
      </header>
      <div className="reference-body">
        <nav className="reference-nav" aria-label={t('reference.operations')}>
          <ul className="document-tabs">
            {DOCUMENTS.map((name) => (
              <li key={name}>
                <a href={link(name)} aria-current={name === document ? 'page' : undefined}>
                  {t(`reference.documents.${name}`)}
                </a>
              </li>
            ))}
          </ul>
          <label htmlFor={filterId} className="visually-hidden">
            {t('reference.filter')}
          </label>
          <input
            id={filterId}
            type="search"
            placeholder={t('reference.filter')}
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
          />
          {spec.isPending ? <p aria-busy="true">{t('common.loading')}</p> : null}
          {spec.isError ? <p role="alert">{t('reference.loadFailed')}</p> : null}
          {spec.data && shown.length === 0 ? <p>{t('reference.noMatch')}</p> : null}
          {groupByTag(shown).map(([tag, group]) => (
            <section key={tag} className="tag-group">
              <h2>{tag || t('reference.untagged')}</h2>
              <ul>
                {group.map((operation) => (
                  <li key={operation.operationId}>
                    <a
                      href={link(document, operation.operationId)}
                      aria-current={operation === selected ? 'page' : undefined}
                    >
                      <span className={`method method-${operation.method.toLowerCase()}`}>{operation.method}</span>
                      <span className="operation-summary">{operation.summary}</span>
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </nav>
        <main id="main" tabIndex={-1}>
          {selected ? (
            <>
              <a className="back-to-list" href={link(document)}>
                {t('reference.backToList')}
              </a>
              <OperationView operation={selected} session={session} />
            </>
          ) : spec.data ? (
            <article className="document-intro">
              <h1>{spec.data.title}</h1>
              {spec.data.description ? <p className="operation-description">{spec.data.description}</p> : null}
              <p>{t('reference.pick', { count: spec.data.operations.length })}</p>
              <p>
                <a href={`/docs/specs/${document}`}>{t('reference.download')}</a>
              </p>
            </article>
          ) : null}
        </main>
      </div>
    </div>
  );
}
