// Faults on demand: the active ones (with how often each has struck), one-click removal, and a form that adds one
// from a starting template per target (docs/sandbox.md#faults-on-demand). Faults are the server's, not a location's.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import type { Fault } from '../api/types.js';
import { formatDateTime } from '../format.js';

const TARGETS = ['api', 'delivery', 'webhook'] as const;
type Target = (typeof TARGETS)[number];

/** What a new fault of each target starts as: the location acted on, and the simplest effect. */
function template(target: Target, locationId: string) {
  switch (target) {
    case 'api':
      return { match: { locationId, route: '/conversations/messages' }, effect: { status: 503 } };
    case 'delivery':
      return { match: { locationId, type: 'SMS' }, effect: { error: 'Carrier unreachable', permanent: true } };
    case 'webhook':
      return { match: { locationId }, effect: { drop: true } };
  }
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

export function Faults({ locationId }: { locationId: string }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const faults = useQuery({
    queryKey: ['faults'],
    queryFn: () => api<{ faults: Fault[] }>('GET', '/admin/v1/faults'),
    refetchInterval: 3000,
  });
  const refresh = () => void client.invalidateQueries({ queryKey: ['faults'] });
  const remove = useMutation({
    mutationFn: (id: string) => api('DELETE', `/admin/v1/faults/${encodeURIComponent(id)}`),
    onSuccess: refresh,
  });
  const removeAll = useMutation({ mutationFn: () => api('DELETE', '/admin/v1/faults'), onSuccess: refresh });
  const list = faults.data?.faults ?? [];

  return (
    <section aria-labelledby="faults-title" className="sandbox-panel">
      <h2 id="faults-title">{t('sandbox.tabs.faults')}</h2>
      <p className="muted">{t('sandbox.faults.intro')}</p>
      {faults.isError && <p className="form-error">{faults.error.message}</p>}
      {!faults.isPending && list.length === 0 && <p>{t('sandbox.faults.empty')}</p>}
      {list.length > 0 && (
        <div className="table-wrap">
          <table className="stack-narrow">
            <thead>
              <tr>
                <th scope="col">{t('sandbox.faults.target')}</th>
                <th scope="col">{t('sandbox.faults.match')}</th>
                <th scope="col">{t('sandbox.faults.effect')}</th>
                <th scope="col">{t('sandbox.faults.hits')}</th>
                <th scope="col">{t('sandbox.faults.added')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('sandbox.faults.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((fault) => (
                <tr key={fault.id}>
                  <td data-label={t('sandbox.faults.target')}>{t(`sandbox.faults.targets.${fault.target}`)}</td>
                  <td data-label={t('sandbox.faults.match')}>
                    <code>{JSON.stringify(fault.match)}</code>
                  </td>
                  <td data-label={t('sandbox.faults.effect')}>
                    <code>{JSON.stringify(fault.effect)}</code>
                  </td>
                  <td data-label={t('sandbox.faults.hits')}>
                    {fault.times === null
                      ? t('sandbox.faults.hitsUnbounded', { hits: fault.hits })
                      : t('sandbox.faults.hitsOf', { hits: fault.hits, times: fault.times })}
                  </td>
                  <td data-label={t('sandbox.faults.added')}>{formatDateTime(fault.dateAdded, i18n.language)}</td>
                  <td>
                    <button type="button" onClick={() => remove.mutate(fault.id)} disabled={remove.isPending}>
                      {t('sandbox.faults.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.length > 1 && (
        <button type="button" onClick={() => removeAll.mutate()} disabled={removeAll.isPending}>
          {t('sandbox.faults.removeAll')}
        </button>
      )}
      <AddFault locationId={locationId} onAdded={refresh} />
    </section>
  );
}

function AddFault({ locationId, onAdded }: { locationId: string; onAdded: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [target, setTarget] = useState<Target>('api');
  const [match, setMatch] = useState(() => pretty(template('api', locationId).match));
  const [effect, setEffect] = useState(() => pretty(template('api', locationId).effect));
  const [times, setTimes] = useState('1');
  const [problem, setProblem] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: (body: object) => api('POST', '/admin/v1/faults', { body }),
    onSuccess: onAdded,
  });

  const pick = (next: Target) => {
    setTarget(next);
    const start = template(next, locationId);
    setMatch(pretty(start.match));
    setEffect(pretty(start.effect));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    try {
      const body = {
        target,
        match: JSON.parse(match || '{}') as object,
        effect: JSON.parse(effect || '{}') as object,
        ...(times.trim() ? { times: Number(times) } : {}),
      };
      add.mutate(body);
    } catch (error) {
      setProblem(t('sandbox.faults.invalidJson', { message: (error as Error).message }));
    }
  };

  return (
    <form className="stacked-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('sandbox.faults.add')}</h3>
      <div className="field">
        <label htmlFor={`${id}-target`}>{t('sandbox.faults.target')}</label>
        <select id={`${id}-target`} value={target} onChange={(event) => pick(event.target.value as Target)}>
          {TARGETS.map((name) => (
            <option key={name} value={name}>
              {t(`sandbox.faults.targets.${name}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-match`}>{t('sandbox.faults.matchJson')}</label>
        <textarea
          id={`${id}-match`}
          rows={4}
          spellCheck={false}
          value={match}
          onChange={(e) => setMatch(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-effect`}>{t('sandbox.faults.effectJson')}</label>
        <textarea
          id={`${id}-effect`}
          rows={4}
          spellCheck={false}
          value={effect}
          onChange={(e) => setEffect(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-times`}>{t('sandbox.faults.times')}</label>
        <input id={`${id}-times`} type="number" min="1" value={times} onChange={(e) => setTimes(e.target.value)} />
      </div>
      <button type="submit" className="primary" disabled={add.isPending}>
        {t('sandbox.faults.create')}
      </button>
      {(problem ?? add.error) && (
        <p role="alert" className="form-error">
          {problem ?? add.error?.message}
        </p>
      )}
    </form>
  );
}
