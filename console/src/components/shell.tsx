// The signed-in frame: navigation, the location acted on, language, sign-out, and the view of the current route.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, setCredentials } from '../api/client.js';
import { LOCATION_KEY, rememberedLocation, type Session } from '../api/session.js';
import type { Location } from '../api/types.js';
import { Inbox } from '../inbox/inbox.js';
import { useLiveUpdates } from '../inbox/live.js';
import { href, type Route, useRoute } from '../router.js';
import { Outbox } from '../tools/outbox.js';
import { Sandbox } from '../tools/sandbox.js';
import { Settings } from '../tools/settings.js';
import { Webhooks } from '../tools/webhooks.js';
import { Icon } from './icons.js';
import { LanguageSwitch } from './language-switch.js';

function useLocations(session: Session) {
  return useQuery({
    queryKey: ['locations'],
    enabled: session.kind === 'admin',
    queryFn: () => api<{ locations: Location[] }>('GET', '/admin/v1/locations', { query: { limit: 100 } }),
  });
}

export function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const { t } = useTranslation();
  const route = useRoute();
  const locations = useLocations(session);
  const pickerId = useId();
  const [locationId, setLocationId] = useState<string | null>(session.locationId ?? rememberedLocation());
  const admin = session.kind === 'admin';

  const list = locations.data?.locations ?? [];
  // The admin's remembered location may be gone: fall back to the first one.
  const chosen = admin ? (list.find((l) => l.id === locationId)?.id ?? list[0]?.id ?? null) : session.locationId;
  setCredentials({ locationId: chosen });
  const live = useLiveUpdates(chosen);

  useEffect(() => {
    if (admin && chosen) {
      try {
        localStorage.setItem(LOCATION_KEY, chosen);
      } catch {
        // Remembered for this visit only.
      }
    }
  }, [admin, chosen]);

  const nav: { view: Route['view']; label: string; target: string; adminOnly: boolean }[] = [
    { view: 'inbox', label: t('nav.inbox'), target: href('inbox'), adminOnly: false },
    { view: 'outbox', label: t('nav.outbox'), target: href('outbox'), adminOnly: true },
    { view: 'webhooks', label: t('nav.webhooks'), target: href('webhooks'), adminOnly: true },
    { view: 'sandbox', label: t('nav.sandbox'), target: href('sandbox'), adminOnly: true },
    { view: 'settings', label: t('nav.settings'), target: href('settings'), adminOnly: false },
  ];

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <span className="brand">Switchboard</span>
        <nav aria-label={t('nav.label')}>
          <ul>
            {nav
              .filter((item) => admin || !item.adminOnly)
              .map((item) => (
                <li key={item.view}>
                  <a href={item.target} aria-current={route.view === item.view ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            <li>
              <a href="/docs">{t('nav.docs')}</a>
            </li>
          </ul>
        </nav>
        <div className="topbar-tools">
          {admin ? (
            <>
              <label htmlFor={pickerId} className="visually-hidden">
                {t('location.label')}
              </label>
              <select id={pickerId} value={chosen ?? ''} onChange={(event) => setLocationId(event.target.value)}>
                {list.map((location) => (
                  <option key={location.id} value={location.id}>
                    {location.name}
                  </option>
                ))}
              </select>
            </>
          ) : (
            <span className="badge" title={t('location.scoped')}>
              {t('location.only', { id: session.locationId })}
            </span>
          )}
          <span
            className={`live-dot live-${live}`}
            role="status"
            aria-label={t(`live.${live}`)}
            title={t(`live.${live}`)}
          />
          <LanguageSwitch />
          <button type="button" className="sign-out" onClick={onSignOut} title={t('nav.signOut')}>
            <Icon name="signOut" /> <span className="sign-out-label">{t('nav.signOut')}</span>
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {!chosen ? (
          <section className="empty">
            <h1>{t('location.noneTitle')}</h1>
            <p>{t('location.noneText')}</p>
            <pre className="curl">{`curl -X POST ${window.location.origin}/admin/v1/locations \\\n  -H "Authorization: Bearer $ADMIN_TOKEN" -H "Content-Type: application/json" \\\n  -d '{"name":"My location"}'`}</pre>
          </section>
        ) : route.view === 'inbox' ? (
          <Inbox key={chosen} session={session} locationId={chosen} conversationId={route.conversationId} />
        ) : route.view === 'outbox' && admin ? (
          <Outbox key={chosen} locationId={chosen} recordId={route.recordId} />
        ) : route.view === 'webhooks' && admin ? (
          <Webhooks appId={route.appId} deliveryId={route.deliveryId} />
        ) : route.view === 'sandbox' && admin ? (
          <Sandbox
            key={chosen}
            locationId={chosen}
            locationName={list.find((l) => l.id === chosen)?.name ?? chosen}
            tab={route.tab}
            entryId={route.entryId}
          />
        ) : route.view === 'settings' ? (
          <Settings key={chosen} session={session} locationId={chosen} tab={route.tab} />
        ) : (
          <Inbox key={chosen} session={session} locationId={chosen} conversationId={null} />
        )}
      </main>
    </div>
  );
}
