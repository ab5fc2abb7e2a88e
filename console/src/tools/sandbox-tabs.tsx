// The sandbox's heading and its sections, shared by the journal's split view and the other sections' page.
import { useTranslation } from 'react-i18next';
import { href } from '../router.js';

export const SANDBOX_TABS = ['journal', 'clock', 'faults', 'reset'] as const;

export function SandboxTabs({ current }: { current: string }) {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t('nav.sandbox')}</h1>
      <nav className="chips" aria-label={t('sandbox.sections')}>
        {SANDBOX_TABS.map((name) => (
          <a
            key={name}
            className="chip"
            href={href('sandbox', name)}
            aria-current={name === current ? 'page' : undefined}
          >
            {t(`sandbox.tabs.${name}`)}
          </a>
        ))}
      </nav>
    </>
  );
}
