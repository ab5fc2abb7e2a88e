// Webhook deliveries per app, after WireMock's request log: each delivery with its status, every attempt (URL,
// status, error, duration), the exact payload sent, and a redeliver button.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import type { App, Delivery, DeliveryDetail } from '../api/types.js';
import { LoadMore, RecordRow } from '../components/record-list.js';
import { formatDateTime } from '../format.js';
import { href } from '../router.js';

export function useApps() {
  return useQuery({ queryKey: ['apps'], queryFn: () => api<{ apps: App[] }>('GET', '/admin/v1/apps') });
}

export function Webhooks({ appId, deliveryId }: { appId: string | null; deliveryId: string | null }) {
  const { t } = useTranslation();
  const apps = useApps();
  const list = apps.data?.apps ?? [];
  const current = list.find((app) => app.id === appId) ?? list[0] ?? null;
  return (
    <div className={`split ${deliveryId ? 'detail-open' : ''}`}>
      <section className="split-list" aria-labelledby="webhooks-title">
        <h1 id="webhooks-title">{t('webhooks.title')}</h1>
        {apps.isPending && <p className="muted">{t('common.loading')}</p>}
        {apps.isError && <p className="form-error">{apps.error.message}</p>}
        {!apps.isPending && list.length === 0 && (
          <div className="empty">
            <p>{t('webhooks.noApps')}</p>
            <pre className="curl">{`curl -X POST ${window.location.origin}/admin/v1/apps -H "Authorization: Bearer $ADMIN_TOKEN" \\\n  -H "Content-Type: application/json" -d '{"name":"My app","webhookUrl":"https://example.com/hook"}'`}</pre>
          </div>
        )}
        {list.length > 0 && (
          <nav aria-label={t('webhooks.apps')} className="chips">
            {list.map((app) => (
              <a
                key={app.id}
                href={href('webhooks', app.id)}
                aria-current={app.id === current?.id ? 'true' : undefined}
                className="chip"
              >
                {app.name}
              </a>
            ))}
          </nav>
        )}
        {current && <DeliveryList app={current} selectedId={deliveryId} />}
      </section>
      <section className="split-detail" aria-label={t('webhooks.detail')}>
        {current && deliveryId ? (
          <DeliveryView appId={current.id} deliveryId={deliveryId} />
        ) : (
          <p className="muted empty">{t('webhooks.pick')}</p>
        )}
      </section>
    </div>
  );
}

function DeliveryList({ app, selectedId }: { app: App; selectedId: string | null }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState('');
  const statusId = useId();
  const query = useInfiniteQuery({
    queryKey: ['deliveries', app.id, status],
    queryFn: ({ pageParam }) =>
      api<{ deliveries: Delivery[]; nextAfter: string | null }>(
        'GET',
        `/admin/v1/apps/${encodeURIComponent(app.id)}/webhook-deliveries`,
        {
          query: { limit: 50, after: pageParam, status },
        },
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextAfter ?? undefined,
    refetchInterval: 3000,
  });
  const rows = query.data?.pages.flatMap((page) => page.deliveries) ?? [];
  return (
    <>
      <p className="muted">{app.webhookUrl ?? t('webhooks.noUrl')}</p>
      <div className="field">
        <label htmlFor={statusId}>{t('webhooks.status')}</label>
        <select id={statusId} value={status} onChange={(event) => setStatus(event.target.value)}>
          <option value="">{t('webhooks.anyStatus')}</option>
          {(['pending', 'delivered', 'dead'] as const).map((value) => (
            <option key={value} value={value}>
              {t(`webhooks.statuses.${value}`)}
            </option>
          ))}
        </select>
      </div>
      {!query.isPending && rows.length === 0 && <p className="muted">{t('webhooks.none')}</p>}
      <ul className="record-list">
        {rows.map((delivery) => (
          <RecordRow
            key={delivery.id}
            href={href('webhooks', app.id, delivery.id)}
            current={delivery.id === selectedId}
            name={delivery.type}
            date={delivery.dateAdded}
            badge={
              <span className={`chip status-${delivery.status}`}>
                {t(`webhooks.statuses.${delivery.status}`, { defaultValue: delivery.status })}
              </span>
            }
            preview={`${t('webhooks.attemptCount', { count: delivery.attempts })}${delivery.lastStatusCode ? ` · HTTP ${delivery.lastStatusCode}` : ''}`}
          />
        ))}
      </ul>
      <LoadMore query={query} />
    </>
  );
}

function DeliveryView({ appId, deliveryId }: { appId: string; deliveryId: string }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const path = `/admin/v1/apps/${encodeURIComponent(appId)}/webhook-deliveries/${encodeURIComponent(deliveryId)}`;
  const detail = useQuery({
    queryKey: ['delivery', appId, deliveryId],
    queryFn: () => api<{ delivery: DeliveryDetail }>('GET', path),
    refetchInterval: 2000,
  });
  const redeliver = useMutation({
    mutationFn: () => api('POST', `${path}/redeliver`),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['delivery', appId, deliveryId] });
      void client.invalidateQueries({ queryKey: ['deliveries', appId] });
    },
  });
  if (detail.isPending) return <p className="muted">{t('common.loading')}</p>;
  if (detail.isError) return <p className="form-error">{detail.error.message}</p>;
  const delivery = detail.data.delivery;
  return (
    <div className="viewer">
      <a className="back-link" href={href('webhooks', appId)}>
        {t('thread.back')}
      </a>
      <h2>{delivery.type}</h2>
      <p>
        <span className={`chip status-${delivery.status}`}>
          {t(`webhooks.statuses.${delivery.status}`, { defaultValue: delivery.status })}
        </span>{' '}
        <button type="button" className="primary" onClick={() => redeliver.mutate()} disabled={redeliver.isPending}>
          {t('webhooks.redeliver')}
        </button>
        {redeliver.isSuccess && <span role="status"> {t('webhooks.redelivered')}</span>}
        {redeliver.isError && <span className="form-error"> {redeliver.error.message}</span>}
      </p>
      <h3>{t('webhooks.attempts')}</h3>
      {delivery.attemptLog.length === 0 ? (
        <p className="muted">{t('webhooks.noAttempts')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('webhooks.when')}</th>
                <th scope="col">{t('webhooks.result')}</th>
                <th scope="col">{t('webhooks.duration')}</th>
              </tr>
            </thead>
            <tbody>
              {delivery.attemptLog.map((attempt) => (
                <tr key={attempt.attempt}>
                  <td>{attempt.attempt}</td>
                  <td>{formatDateTime(attempt.dateAttempted, i18n.language)}</td>
                  <td>{attempt.statusCode ? `HTTP ${attempt.statusCode}` : (attempt.error ?? '')}</td>
                  <td>{attempt.durationMs === null ? '' : `${attempt.durationMs} ms`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>{t('webhooks.headers')}</h3>
      <p className="muted">{t('webhooks.signatureNote')}</p>
      <pre className="json" data-testid="delivery-headers">
        {`Content-Type: application/json\nX-GHL-Signature: ${delivery.signature}`}
      </pre>
      <h3>{t('webhooks.payload')}</h3>
      <pre className="json">{JSON.stringify(delivery.payload, null, 2)}</pre>
    </div>
  );
}
