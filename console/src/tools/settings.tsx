// Settings of the location and the instance: private integration tokens (create, copy once, revoke), apps, the
// location's conversation providers, and live chat widgets with their embed code. A location session sees what its
// token is allowed.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, Fragment, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import type { Session } from '../api/session.js';
import type { Provider, Token, Widget } from '../api/types.js';
import { Confirm } from '../components/confirm.js';
import { Icon } from '../components/icons.js';
import { formatDateTime } from '../format.js';
import { href } from '../router.js';
import { useApps } from './webhooks.js';

const TABS = ['tokens', 'apps', 'providers', 'widgets'] as const;

export function Settings({ session, locationId, tab }: { session: Session; locationId: string; tab: string }) {
  const { t } = useTranslation();
  if (session.kind !== 'admin') {
    return (
      <section className="page">
        <h1>{t('settings.title')}</h1>
        <h2>{t('settings.yourAccess')}</h2>
        <p>{t('location.only', { id: locationId })}</p>
        <ul className="scopes">
          {session.scopes.map((scope) => (
            <li key={scope}>
              <code>{scope}</code>
            </li>
          ))}
        </ul>
      </section>
    );
  }
  const current = (TABS as readonly string[]).includes(tab) ? tab : 'tokens';
  return (
    <section className="page">
      <h1>{t('settings.title')}</h1>
      <nav className="chips" aria-label={t('settings.sections')}>
        {TABS.map((name) => (
          <a
            key={name}
            className="chip"
            href={href('settings', name)}
            aria-current={name === current ? 'page' : undefined}
          >
            {t(`settings.tabs.${name}`)}
          </a>
        ))}
      </nav>
      {current === 'tokens' && <Tokens locationId={locationId} />}
      {current === 'apps' && <Apps />}
      {current === 'providers' && <Providers locationId={locationId} />}
      {current === 'widgets' && <Widgets locationId={locationId} />}
    </section>
  );
}

function CopyOnce({ label, value }: { label: string; value: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <div className="copy-once" role="status">
      <p>{label}</p>
      <code className="secret">{value}</code>{' '}
      <button
        type="button"
        onClick={() =>
          void navigator.clipboard
            ?.writeText(value)
            .then(() => setCopied(true))
            .catch(() => {})
        }
      >
        <Icon name="copy" size={14} /> {copied ? t('common.copied') : t('common.copy')}
      </button>
    </div>
  );
}

function Tokens({ locationId }: { locationId: string }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const nameId = useId();
  const [name, setName] = useState('');
  // The token whose revocation waits for a yes: an integration using it would break at once and for good.
  const [confirming, setConfirming] = useState<string | null>(null);
  // Said once a token is revoked, and focused: the confirm button that had the focus is gone with its question.
  const [revokedName, setRevokedName] = useState<string | null>(null);
  const revokedNotice = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (revokedName) revokedNotice.current?.focus();
  }, [revokedName]);
  const path = `/admin/v1/locations/${encodeURIComponent(locationId)}/tokens`;
  const tokens = useQuery({ queryKey: ['tokens', locationId], queryFn: () => api<{ tokens: Token[] }>('GET', path) });
  const create = useMutation({
    mutationFn: () => api<Token & { token: string }>('POST', path, { body: name ? { name } : {} }),
    onSuccess: () => {
      setName('');
      void client.invalidateQueries({ queryKey: ['tokens', locationId] });
    },
  });
  const revoke = useMutation({
    mutationFn: (token: { id: string; label: string }) => api('DELETE', `${path}/${encodeURIComponent(token.id)}`),
    onSuccess: (_, token) => {
      setConfirming(null);
      setRevokedName(token.label);
    },
    onSettled: () => void client.invalidateQueries({ queryKey: ['tokens', locationId] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <>
      <form className="inline-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={nameId}>{t('tokens.name')}</label>
          <input id={nameId} value={name} onChange={(event) => setName(event.target.value)} />
        </div>
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('tokens.create')}
        </button>
      </form>
      {create.data && <CopyOnce label={t('tokens.copyOnce')} value={create.data.token} />}
      {create.isError && <p className="form-error">{create.error.message}</p>}
      {revokedName && (
        <p ref={revokedNotice} role="status" tabIndex={-1} className="notice">
          {t('tokens.revokedNotice', { name: revokedName })}
        </p>
      )}
      <div className="table-wrap">
        <table className="stack-narrow">
          <thead>
            <tr>
              <th scope="col">{t('tokens.name')}</th>
              <th scope="col">{t('tokens.scopes')}</th>
              <th scope="col">{t('tokens.created')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('tokens.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(tokens.data?.tokens ?? []).map((token) => {
              const label = token.name || token.id;
              return (
                <Fragment key={token.id}>
                  <tr>
                    <td data-label={t('tokens.name')}>{label}</td>
                    <td data-label={t('tokens.scopes')}>{token.scopes.length}</td>
                    <td data-label={t('tokens.created')}>{formatDateTime(token.dateAdded, i18n.language)}</td>
                    <td>
                      {token.revokedAt ? (
                        <span className="muted">{t('tokens.revoked')}</span>
                      ) : (
                        <button
                          type="button"
                          onClick={() => {
                            revoke.reset();
                            setRevokedName(null);
                            setConfirming(token.id);
                          }}
                        >
                          {t('tokens.revoke')}
                        </button>
                      )}
                    </td>
                  </tr>
                  {confirming === token.id && !token.revokedAt && (
                    <tr className="confirm-row">
                      <td colSpan={4}>
                        <Confirm
                          question={t('tokens.question', { name: label })}
                          confirm={t('tokens.confirm', { name: label })}
                          cancel={t('tokens.cancel')}
                          onConfirm={() => revoke.mutate({ id: token.id, label })}
                          onCancel={() => setConfirming(null)}
                          pending={revoke.isPending}
                        />
                        {revoke.isError && <p className="form-error">{revoke.error.message}</p>}
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Apps() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const apps = useApps();
  const ids = { name: useId(), url: useId() };
  const [name, setName] = useState('');
  const [webhookUrl, setWebhookUrl] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api<{ clientSecret: string }>('POST', '/admin/v1/apps', {
        body: { name, ...(webhookUrl ? { webhookUrl } : {}) },
      }),
    onSuccess: () => {
      setName('');
      setWebhookUrl('');
      void client.invalidateQueries({ queryKey: ['apps'] });
    },
  });
  return (
    <>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <div className="field">
          <label htmlFor={ids.name}>{t('apps.name')}</label>
          <input id={ids.name} value={name} onChange={(event) => setName(event.target.value)} required />
        </div>
        <div className="field grow">
          <label htmlFor={ids.url}>{t('apps.webhookUrl')}</label>
          <input id={ids.url} type="url" value={webhookUrl} onChange={(event) => setWebhookUrl(event.target.value)} />
        </div>
        <button type="submit" className="primary" disabled={create.isPending || !name}>
          {t('apps.create')}
        </button>
      </form>
      {create.data && <CopyOnce label={t('apps.secretOnce')} value={create.data.clientSecret} />}
      {create.isError && <p className="form-error">{create.error.message}</p>}
      <ul className="cards">
        {(apps.data?.apps ?? []).map((app) => (
          <li key={app.id} className="card">
            <h3>{app.name}</h3>
            <p className="muted">
              <code>{app.id}</code>
            </p>
            <p>{app.webhookUrl ?? t('webhooks.noUrl')}</p>
            <a href={href('webhooks', app.id)}>{t('apps.deliveries')}</a>
          </li>
        ))}
      </ul>
    </>
  );
}

function Providers({ locationId }: { locationId: string }) {
  const { t } = useTranslation();
  const providers = useQuery({
    queryKey: ['providers', locationId],
    queryFn: () =>
      api<{ providers: Provider[] }>('GET', `/admin/v1/locations/${encodeURIComponent(locationId)}/providers`),
  });
  const list = providers.data?.providers ?? [];
  if (providers.isError) return <p className="form-error">{providers.error.message}</p>;
  if (!providers.isPending && list.length === 0) return <p className="muted">{t('providers.none')}</p>;
  return (
    <ul className="cards">
      {list.map((provider) => (
        <li key={provider.id} className="card">
          <h3>{provider.name}</h3>
          <p>
            <span className="chip">{provider.type}</span> {provider.isDefault ? t('providers.default') : ''}
          </p>
          <p className="muted">{provider.deliveryUrl ?? ''}</p>
        </li>
      ))}
    </ul>
  );
}

function Widgets({ locationId }: { locationId: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const titleId = useId();
  const [title, setTitle] = useState('');
  const path = `/admin/v1/locations/${encodeURIComponent(locationId)}/live-chat/widgets`;
  const widgets = useQuery({
    queryKey: ['widgets', locationId],
    queryFn: () => api<{ widgets: Widget[] }>('GET', path),
  });
  const create = useMutation({
    mutationFn: () => api('POST', path, { body: { name: title, title } }),
    onSuccess: () => {
      setTitle('');
      void client.invalidateQueries({ queryKey: ['widgets', locationId] });
    },
  });
  return (
    <>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <div className="field">
          <label htmlFor={titleId}>{t('widgets.title')}</label>
          <input id={titleId} value={title} onChange={(event) => setTitle(event.target.value)} required />
        </div>
        <button type="submit" className="primary" disabled={create.isPending || !title}>
          {t('widgets.create')}
        </button>
      </form>
      {create.isError && <p className="form-error">{create.error.message}</p>}
      <ul className="cards">
        {(widgets.data?.widgets ?? []).map((widget) => (
          <li key={widget.id} className="card">
            <h3>{widget.title}</h3>
            <pre className="curl">{widget.embed.script}</pre>
            <a href={widget.embed.demoUrl} target="_blank" rel="noreferrer">
              {t('widgets.demo')}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
