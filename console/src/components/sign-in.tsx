// Sign-in with the admin token (every location) or a location's private integration token (that location only).
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.js';
import { type Session, signIn } from '../api/session.js';
import { LanguageSwitch } from './language-switch.js';

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const { t } = useTranslation();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  const errorId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(token));
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status === 401 ? t('signIn.wrongToken') : t('signIn.failed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <div className="sign-in-top">
          <h1>Switchboard</h1>
          <LanguageSwitch />
        </div>
        <p>{t('signIn.intro')}</p>
        <form onSubmit={submit} noValidate>
          <label htmlFor={inputId}>{t('signIn.tokenLabel')}</label>
          <input
            id={inputId}
            type="password"
            autoComplete="current-password"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            required
          />
          {error && (
            <p id={errorId} className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy || token.trim() === ''}>
            {busy ? t('signIn.signingIn') : t('signIn.submit')}
          </button>
        </form>
        <p className="hint">{t('signIn.hint')}</p>
      </div>
    </main>
  );
}
