// The sandbox controls of docs/sandbox.md for the admin: the request journal, the virtual clock, faults, and
// emptying the location. Hash routes: #/sandbox/{journal|clock|faults|reset}[/{entryId}].
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import { Confirm } from '../components/confirm.js';
import { formatNumber } from '../format.js';
import { SandboxClock } from './clock.js';
import { Faults } from './faults.js';
import { Journal } from './journal.js';
import { SANDBOX_TABS, SandboxTabs } from './sandbox-tabs.js';

interface Props {
  locationId: string;
  locationName: string;
  tab: string;
  entryId: string | null;
}

export function Sandbox({ locationId, locationName, tab, entryId }: Props) {
  const current = (SANDBOX_TABS as readonly string[]).includes(tab) ? tab : 'journal';
  if (current === 'journal') return <Journal locationId={locationId} entryId={entryId} />;
  return (
    <section className="page">
      <SandboxTabs current={current} />
      {current === 'clock' && <SandboxClock />}
      {current === 'faults' && <Faults locationId={locationId} />}
      {current === 'reset' && <ResetLocation locationId={locationId} name={locationName} />}
    </section>
  );
}

type Removed = Record<string, number>;

function ResetLocation({ locationId, name }: { locationId: string; name: string }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const start = useRef<HTMLButtonElement>(null);
  const reset = useMutation({
    mutationFn: () => api<{ removed: Removed }>('POST', `/admin/v1/locations/${encodeURIComponent(locationId)}/reset`),
    onSuccess: () => {
      setConfirming(false);
      // Everything the console holds of the location is gone.
      void client.invalidateQueries();
    },
  });
  return (
    <section aria-labelledby="reset-title" className="sandbox-panel">
      <h2 id="reset-title">{t('sandbox.reset.title')}</h2>
      <p>{t('sandbox.reset.text', { name })}</p>
      {!confirming ? (
        <button ref={start} type="button" className="danger" onClick={() => setConfirming(true)}>
          {t('sandbox.reset.start')}
        </button>
      ) : (
        <Confirm
          question={t('sandbox.reset.question', { name })}
          confirm={t('sandbox.reset.confirm', { name })}
          cancel={t('sandbox.reset.cancel')}
          onConfirm={() => reset.mutate()}
          onCancel={() => setConfirming(false)}
          pending={reset.isPending}
          opener={start}
        />
      )}
      {reset.isError && <p className="form-error">{reset.error.message}</p>}
      {reset.data && (
        <div role="status">
          <p>{t('sandbox.reset.done', { name })}</p>
          <ul className="removed">
            {Object.entries(reset.data.removed).map(([kind, count]) => (
              <li key={kind}>
                {t(`sandbox.reset.counts.${kind}`, { defaultValue: kind })}: {formatNumber(count, i18n.language)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
