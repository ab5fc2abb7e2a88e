// The search API's filters: status (all, unread, starred, read), channel of the last message, assignee and text.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InboxFilters } from '../api/conversations.js';

export const CHANNEL_FILTERS = [
  'TYPE_SMS',
  'TYPE_EMAIL',
  'TYPE_CALL',
  'TYPE_WHATSAPP',
  'TYPE_FACEBOOK',
  'TYPE_INSTAGRAM',
  'TYPE_LIVE_CHAT',
] as const;

export function Filters({ value, onChange }: { value: InboxFilters; onChange: (next: InboxFilters) => void }) {
  const { t } = useTranslation();
  const ids = { text: useId(), status: useId(), channel: useId(), assigned: useId() };
  const [text, setText] = useState(value.query);
  const [assigned, setAssigned] = useState(value.assignedTo);

  // Typing settles for a moment before the search runs.
  useEffect(() => {
    const timer = setTimeout(() => {
      if (text !== value.query || assigned !== value.assignedTo)
        onChange({ ...value, query: text, assignedTo: assigned });
    }, 250);
    return () => clearTimeout(timer);
  }, [text, assigned, value, onChange]);

  return (
    <form className="filters" onSubmit={(event) => event.preventDefault()}>
      <div className="field grow">
        <label htmlFor={ids.text}>{t('filters.search')}</label>
        <input id={ids.text} type="search" value={text} onChange={(event) => setText(event.target.value)} />
      </div>
      <div className="field narrow">
        <label htmlFor={ids.assigned}>{t('filters.assignedTo')}</label>
        <input id={ids.assigned} value={assigned} onChange={(event) => setAssigned(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={ids.status}>{t('filters.status')}</label>
        <select
          id={ids.status}
          value={value.status}
          onChange={(event) => onChange({ ...value, status: event.target.value as InboxFilters['status'] })}
        >
          {(['all', 'unread', 'starred', 'read'] as const).map((status) => (
            <option key={status} value={status}>
              {t(`filters.statuses.${status}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.channel}>{t('filters.channel')}</label>
        <select
          id={ids.channel}
          value={value.lastMessageType}
          onChange={(event) => onChange({ ...value, lastMessageType: event.target.value })}
        >
          <option value="">{t('filters.anyChannel')}</option>
          {CHANNEL_FILTERS.map((type) => (
            <option key={type} value={type}>
              {t(`channels.${type}`)}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
