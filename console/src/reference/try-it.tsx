// "Try it": sends the operation to this server with the signed-in console session (its CSRF header) or a pasted
// token, and shows the answer's status, headers and body. Plain fetch, not the console's client: a 401 here is an
// answer to show, not a reason to sign out.
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_VERSION, api } from '../api/client.js';
import { rememberedLocation, type Session } from '../api/session.js';
import { exampleOf, type Operation, type Parameter } from './spec.js';

interface Props {
  operation: Operation;
  session: Session | null;
  /** The location to fill in (path parameter, admin's location header); known before the form is made. */
  location: string | null;
}

interface Answer {
  status: number;
  statusText: string;
  ms: number;
  headers: [string, string][];
  body: string;
}

function initialValue(parameter: Parameter, location: string): string {
  if (parameter.name === 'locationId' && location) return location;
  if (parameter.name === 'Version') return String(parameter.example ?? parameter.schema?.example ?? API_VERSION);
  if (!parameter.required) return '';
  const value = parameter.example ?? parameter.schema?.example ?? parameter.schema?.enum?.[0];
  return value === undefined ? '' : String(value);
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The location a session acts on: its own, or the admin's last chosen one (else the first there is). */
export function useSessionLocation(session: Session | null): { location: string | null; ready: boolean } {
  const admin = session?.kind === 'admin';
  const remembered = admin ? rememberedLocation() : null;
  const first = useQuery({
    queryKey: ['locations'],
    enabled: admin && !remembered,
    queryFn: () => api<{ locations: { id: string }[] }>('GET', '/admin/v1/locations', { query: { limit: 100 } }),
  });
  const location = session?.locationId ?? remembered ?? first.data?.locations[0]?.id ?? null;
  return { location, ready: !admin || Boolean(remembered) || !first.isPending };
}

export function TryIt({ operation, session, location: acted }: Props) {
  const { t } = useTranslation();
  const id = useId();
  // The Authorization header is the auth choice below, not a field.
  const fields = operation.parameters.filter((p) => p.in !== 'cookie' && p.name.toLowerCase() !== 'authorization');
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((p) => [`${p.in}:${p.name}`, initialValue(p, acted ?? '')])),
  );
  const [mode, setMode] = useState<'session' | 'token'>(session ? 'session' : 'token');
  const [token, setToken] = useState('');
  const [location, setLocation] = useState(() => (session?.kind === 'admin' ? (acted ?? '') : ''));
  const json = operation.body?.contentType.includes('json');
  const [body, setBody] = useState(() =>
    operation.body && json ? JSON.stringify(exampleOf(operation.body.schema), null, 2) : '',
  );
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  async function send(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    if (json && body.trim()) {
      try {
        JSON.parse(body);
      } catch (error) {
        setProblem(t('reference.invalidJson', { message: (error as Error).message }));
        return;
      }
    }
    let path = operation.path;
    const query = new URLSearchParams();
    const headers: Record<string, string> = {};
    for (const parameter of fields) {
      const value = values[`${parameter.in}:${parameter.name}`] ?? '';
      if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeURIComponent(value));
      else if (value === '') continue;
      else if (parameter.in === 'query') query.append(parameter.name, value);
      else if (parameter.in === 'header') headers[parameter.name] = value;
    }
    if (mode === 'token') {
      if (token.trim()) headers.authorization = `Bearer ${token.trim()}`;
    } else if (session) {
      headers['x-switchboard-csrf'] = session.csrfToken;
      if (session.kind === 'admin' && location.trim()) headers['x-switchboard-location'] = location.trim();
    }
    if (operation.body && body.trim()) headers['content-type'] = operation.body.contentType;
    const url = query.size > 0 ? `${path}?${query}` : path;
    setSending(true);
    const started = performance.now();
    try {
      const response = await fetch(url, {
        method: operation.method,
        headers,
        credentials: 'same-origin',
        ...(operation.body && body.trim() ? { body } : {}),
      });
      const text = await response.text();
      setAnswer({
        status: response.status,
        statusText: response.statusText,
        ms: Math.round(performance.now() - started),
        headers: [...response.headers.entries()],
        body: pretty(text),
      });
    } catch (error) {
      setAnswer(null);
      setProblem(t('reference.networkError', { message: (error as Error).message }));
    } finally {
      setSending(false);
    }
  }

  return (
    <section className="try-it" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('reference.tryIt')}</h2>
      <form onSubmit={send}>
        <fieldset>
          <legend>{t('reference.auth')}</legend>
          <label className="radio">
            <input
              type="radio"
              name={`${id}-mode`}
              checked={mode === 'session'}
              disabled={!session}
              onChange={() => setMode('session')}
            />{' '}
            {t('reference.authSession')}
          </label>
          <label className="radio">
            <input type="radio" name={`${id}-mode`} checked={mode === 'token'} onChange={() => setMode('token')} />{' '}
            {t('reference.authToken')}
          </label>
          {!session ? <p className="hint">{t('reference.signInHint')}</p> : null}
          {mode === 'token' ? (
            <div className="field">
              <label htmlFor={`${id}-token`}>{t('reference.tokenLabel')}</label>
              <input
                id={`${id}-token`}
                type="password"
                autoComplete="off"
                value={token}
                onChange={(event) => setToken(event.target.value)}
              />
            </div>
          ) : session?.kind === 'admin' ? (
            <div className="field">
              <label htmlFor={`${id}-location`}>{t('reference.locationHeader')}</label>
              <input id={`${id}-location`} value={location} onChange={(event) => setLocation(event.target.value)} />
            </div>
          ) : null}
        </fieldset>
        {fields.length > 0 ? (
          <fieldset className="try-parameters">
            <legend>{t('reference.parameters')}</legend>
            {fields.map((parameter) => {
              const key = `${parameter.in}:${parameter.name}`;
              return (
                <div className="field" key={key}>
                  <label htmlFor={`${id}-${key}`}>
                    {parameter.name} <span className="hint">({parameter.in})</span>
                  </label>
                  <input
                    id={`${id}-${key}`}
                    value={values[key] ?? ''}
                    required={parameter.in === 'path'}
                    onChange={(event) => setValues((current) => ({ ...current, [key]: event.target.value }))}
                  />
                </div>
              );
            })}
          </fieldset>
        ) : null}
        {operation.body ? (
          <div className="field">
            <label htmlFor={`${id}-body`}>
              {t('reference.body')} ({operation.body.contentType})
            </label>
            <textarea
              id={`${id}-body`}
              rows={Math.min(16, Math.max(4, body.split('\n').length))}
              spellCheck={false}
              value={body}
              onChange={(event) => setBody(event.target.value)}
            />
          </div>
        ) : null}
        <button type="submit" className="primary" disabled={sending}>
          {sending ? t('reference.sending') : t('reference.send')}
        </button>
      </form>
      {problem ? (
        <p role="alert" className="error">
          {problem}
        </p>
      ) : null}
      {answer ? (
        <section className="answer" aria-label={t('reference.response')} aria-live="polite">
          <h3>
            {t('reference.response')}:{' '}
            <span className={`status status-${String(answer.status)[0]}xx`} data-testid="try-it-status">
              {answer.status} {answer.statusText}
            </span>{' '}
            <span className="hint">{t('reference.duration', { ms: answer.ms })}</span>
          </h3>
          <details>
            <summary>{t('reference.headers')}</summary>
            <pre className="code">{answer.headers.map(([name, value]) => `${name}: ${value}`).join('\n')}</pre>
          </details>
          <pre className="code" data-testid="try-it-body">
            {answer.body}
          </pre>
        </section>
      ) : null}
    </section>
  );
}
