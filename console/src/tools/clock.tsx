// The server's clock: what time it is there, and (CLOCK=virtual) moving it forward, which runs every job that falls
// due on the way before it answers (docs/sandbox.md#a-clock-you-can-move).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import type { ClockStatus } from '../api/types.js';
import { formatDateTime } from '../format.js';

const UNITS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
type Unit = keyof typeof UNITS;

export function SandboxClock() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const client = useQueryClient();
  const clock = useQuery({
    queryKey: ['clock'],
    queryFn: () => api<ClockStatus>('GET', '/admin/v1/clock'),
    refetchInterval: 5000,
  });
  const [amount, setAmount] = useState('1');
  const [unit, setUnit] = useState<Unit>('hours');
  const move = useMutation({
    mutationFn: (body: { advanceMs: number }) =>
      api<ClockStatus & { jobsRun: number }>('POST', '/admin/v1/clock', { body }),
    onSuccess: (moved) => {
      client.setQueryData(['clock'], { mode: moved.mode, now: moved.now });
      // Scheduled messages and retries may have run: what the console shows of them is stale.
      void client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'clock' });
    },
  });
  const virtual = clock.data?.mode === 'virtual';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = Number(amount);
    if (Number.isFinite(value) && value > 0) move.mutate({ advanceMs: Math.round(value * UNITS[unit]) });
  };

  return (
    <section aria-labelledby={`${id}-title`} className="sandbox-panel">
      <h2 id={`${id}-title`}>{t('sandbox.tabs.clock')}</h2>
      {clock.isError && <p className="form-error">{clock.error.message}</p>}
      {clock.data && (
        <dl className="email-headers">
          <dt>{t('sandbox.clock.now')}</dt>
          <dd>
            <time dateTime={clock.data.now} data-testid="clock-now">
              {formatDateTime(clock.data.now, i18n.language)}
            </time>
          </dd>
          <dt>{t('sandbox.clock.mode')}</dt>
          <dd>{t(`sandbox.clock.modes.${clock.data.mode}`)}</dd>
        </dl>
      )}
      {clock.data && !virtual && <p className="note">{t('sandbox.clock.realHint')}</p>}
      <form className="inline-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-amount`}>{t('sandbox.clock.advance')}</label>
          <input
            id={`${id}-amount`}
            type="number"
            min="0"
            step="any"
            inputMode="decimal"
            value={amount}
            onChange={(event) => setAmount(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-unit`}>{t('sandbox.clock.unit')}</label>
          <select id={`${id}-unit`} value={unit} onChange={(event) => setUnit(event.target.value as Unit)}>
            {(Object.keys(UNITS) as Unit[]).map((name) => (
              <option key={name} value={name}>
                {t(`sandbox.clock.units.${name}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="primary" disabled={!virtual || move.isPending}>
          {t('sandbox.clock.move')}
        </button>
      </form>
      {move.isError && <p className="form-error">{move.error.message}</p>}
      {move.data && <p role="status">{t('sandbox.clock.moved', { count: move.data.jobsRun })}</p>}
    </section>
  );
}
