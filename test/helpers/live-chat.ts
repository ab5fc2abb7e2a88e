// Live chat factories: a widget made through the admin API, and a visitor session made through the public API.
import type { TestLocation } from './factories.js';
import { Client, type Harness } from './harness.js';
import { SseStream } from './sse.js';

export async function createWidget(harness: Harness, location: TestLocation, fields: Record<string, unknown> = {}) {
  const created = await harness.admin.post(
    null,
    `/admin/v1/locations/${location.locationId}/live-chat/widgets`,
    fields,
  );
  if (created.status !== 201) throw new Error(`widget: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.widget as { id: string; title: string; embed: { script: string; demoUrl: string } };
}

export interface TestVisitor {
  token: string;
  visitorId: string;
  conversationId: string;
  /** The visitor API as the widget calls it: the session token, no Version header. */
  api: Client;
  stream(query?: string, headers?: Record<string, string>): Promise<SseStream>;
}

/** A visitor's Client, without a session (no Authorization header). */
export const anonymous = (harness: Harness) => new Client(harness.baseUrl, {});

export async function startVisitor(
  harness: Harness,
  widgetId: string,
  identity: Record<string, unknown> = {},
): Promise<TestVisitor> {
  const started = await anonymous(harness).post(
    'extensions:start-live-chat-session',
    `/widget/v1/widgets/${widgetId}/sessions`,
    identity,
  );
  if (started.status !== 201) throw new Error(`session: ${started.status} ${JSON.stringify(started.body)}`);
  const token = started.body.token as string;
  return {
    token,
    visitorId: started.body.session.visitorId,
    conversationId: started.body.session.conversationId,
    api: new Client(harness.baseUrl, { authorization: `Bearer ${token}` }),
    stream: async (query = '', headers = {}) => {
      const stream = await SseStream.open(
        `${harness.baseUrl}/widget/v1/session/stream?access_token=${encodeURIComponent(token)}${query}`,
        headers,
      );
      await stream.next('ready');
      return stream;
    },
  };
}
