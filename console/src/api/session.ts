// Sign-in, sign-out and the session a reloaded page already has (src/routes/console/session.ts).
import { api, setCredentials } from './client.js';

export interface Session {
  kind: 'admin' | 'location';
  locationId: string | null;
  scopes: string[];
  csrfToken: string;
  expiresAt: string;
}

export async function signIn(token: string): Promise<Session> {
  const { session } = await api<{ session: Session }>('POST', '/console/v1/session', { body: { token } });
  setCredentials({ csrfToken: session.csrfToken, locationId: session.locationId });
  return session;
}

export async function currentSession(): Promise<Session | null> {
  try {
    const { session } = await api<{ session: Session }>('GET', '/console/v1/session');
    setCredentials({ csrfToken: session.csrfToken, locationId: session.locationId });
    return session;
  } catch {
    return null;
  }
}

export async function signOut(): Promise<void> {
  await api('DELETE', '/console/v1/session');
  setCredentials({ csrfToken: null, locationId: null });
}

export function can(session: Session, scope: string): boolean {
  return session.scopes.includes(scope);
}

/** Where the admin's last chosen location is kept, so the console and the reference act on the same one. */
export const LOCATION_KEY = 'switchboard.location';

export function rememberedLocation(): string | null {
  try {
    return localStorage.getItem(LOCATION_KEY);
  } catch {
    return null;
  }
}
