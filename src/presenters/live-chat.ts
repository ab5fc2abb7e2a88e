// Live chat shapes: widgets for operators, and what a visitor may see — its own session, and live chat messages
// reduced to what a chat window shows (never user ids, providers or other channels).
import type { SessionRow, WidgetRow } from '../store/repositories/live-chat.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function presentWidget(row: WidgetRow, publicUrl: string) {
  const query = `widgetId=${encodeURIComponent(row.id)}`;
  return {
    id: row.id,
    locationId: row.location_id,
    name: row.name,
    title: row.title,
    greeting: row.greeting,
    color: row.color,
    dateAdded: iso(row.date_added),
    dateUpdated: iso(row.date_updated),
    embed: {
      script: `<script src="${publicUrl}/widget/chat.js" data-widget-id="${row.id}" async></script>`,
      demoUrl: `${publicUrl}/widget/demo?${query}`,
    },
  };
}

/** What the widget needs to draw itself. */
export function presentPublicWidget(row: WidgetRow) {
  return { id: row.id, title: row.title, greeting: row.greeting, color: row.color };
}

export function presentVisitorSession(row: SessionRow) {
  return {
    visitorId: row.id,
    widgetId: row.widget_id,
    conversationId: row.conversation_id,
    dateAdded: iso(row.date_added),
    expiresAt: iso(row.expires_at),
  };
}

/** A message as the API presents it (presentMessage), as the visitor sees it. */
export function presentVisitorMessage(message: Record<string, unknown>) {
  const attachments = Array.isArray(message.attachments) ? message.attachments : [];
  return {
    id: message.id,
    from: message.direction === 'inbound' ? 'visitor' : 'agent',
    body: message.body,
    // Links the widget may open: only web addresses, never javascript: or data: URLs.
    attachments: attachments.filter((url): url is string => typeof url === 'string' && /^https?:\/\//i.test(url)),
    status: message.status,
    dateAdded: message.dateAdded,
  };
}
