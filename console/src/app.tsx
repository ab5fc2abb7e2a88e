// The session gate: a signed-in browser sees the console, anyone else the sign-in form. /docs is the API reference,
// open to everyone (its "try it" uses the session when there is one), loaded only when visited.
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { whenSignedOut } from './api/client.js';
import { currentSession, type Session, signOut } from './api/session.js';
import { Shell } from './components/shell.js';
import { SignIn } from './components/sign-in.js';

const Reference = lazy(() => import('./reference/reference.js'));

const onReferencePage = () => /^\/docs\/?$/.test(window.location.pathname);

export function App() {
  const [session, setSession] = useState<Session | null | 'loading'>('loading');
  const client = useQueryClient();

  useEffect(() => {
    void currentSession().then(setSession);
    whenSignedOut(() => setSession(null));
  }, []);

  const leave = useCallback(async () => {
    await signOut().catch(() => {});
    client.clear();
    setSession(null);
  }, [client]);

  if (session === 'loading') return <div className="boot" aria-busy="true" />;
  if (onReferencePage()) {
    return (
      <Suspense fallback={<div className="boot" aria-busy="true" />}>
        <Reference session={session} />
      </Suspense>
    );
  }
  if (!session) return <SignIn onSignedIn={setSession} />;
  return <Shell session={session} onSignOut={leave} />;
}
