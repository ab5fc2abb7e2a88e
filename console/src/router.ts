// Hash routes (#/inbox/<id>, #/outbox, …): the server serves one page at `/`, and a reload keeps the view.
import { useEffect, useState } from 'react';

export type Route =
  | { view: 'inbox'; conversationId: string | null }
  | { view: 'outbox'; recordId: string | null }
  | { view: 'webhooks'; appId: string | null; deliveryId: string | null }
  | { view: 'settings'; tab: string }
  | { view: 'sandbox'; tab: string; entryId: string | null };

export function parseRoute(hash: string): Route {
  const [view = '', first = '', second = ''] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  switch (view) {
    case 'outbox':
      return { view: 'outbox', recordId: first || null };
    case 'webhooks':
      return { view: 'webhooks', appId: first || null, deliveryId: second || null };
    case 'settings':
      return { view: 'settings', tab: first || 'tokens' };
    case 'sandbox':
      return { view: 'sandbox', tab: first || 'journal', entryId: second || null };
    default:
      return { view: 'inbox', conversationId: view === 'inbox' && first ? first : null };
  }
}

export function href(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
