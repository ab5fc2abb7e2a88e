// The one list of every route Switchboard serves. Literal segments are registered as literals, so
// /conversations/search wins over /conversations/:conversationId whatever the order here.
import type { Services } from '../services.js';
import { adminAppRoutes } from './admin/apps.js';
import { adminConversationRoutes } from './admin/conversations.js';
import { adminInboundEmailRoutes } from './admin/inbound-email.js';
import { adminLiveChatRoutes } from './admin/live-chat.js';
import { adminLocationProviderRoutes } from './admin/location-providers.js';
import { adminLocationRoutes } from './admin/locations.js';
import { adminOAuthRoutes } from './admin/oauth.js';
import { adminOutboxRoutes } from './admin/outbox.js';
import { adminRateLimitRoutes } from './admin/rate-limits.js';
import { sandboxClockRoutes } from './admin/sandbox/clock.js';
import { sandboxFaultRoutes } from './admin/sandbox/faults.js';
import { sandboxJournalRoutes } from './admin/sandbox/journal.js';
import { sandboxResetRoutes } from './admin/sandbox/reset.js';
import { sandboxSimulateRoutes } from './admin/sandbox/simulate.js';
import { sandboxSnapshotRoutes } from './admin/sandbox/snapshots.js';
import { adminWebhookRoutes } from './admin/webhooks.js';
import { consoleAssetRoutes } from './console/assets.js';
import { consoleSessionRoutes } from './console/session.js';
import { contactSearchRoutes } from './contact-search.js';
import { contactRoutes } from './contacts.js';
import { conversationSearchRoutes } from './conversation-search.js';
import { conversationRoutes } from './conversations.js';
import { fileRoutes } from './files.js';
import { healthRoutes } from './health.js';
import { liveChatTypingRoutes } from './live-chat/typing.js';
import { visitorRoutes } from './live-chat/visitor.js';
import { widgetAssetRoutes } from './live-chat/widget-assets.js';
import { locationRoutes } from './locations.js';
import { mcpRoutes } from './mcp.js';
import { emailRoutes } from './messages/email.js';
import { messageReadRoutes } from './messages/read.js';
import { recordingRoutes } from './messages/recordings.js';
import { reviewReplyRoutes } from './messages/review-reply.js';
import { scheduleRoutes } from './messages/schedule.js';
import { messageSearchRoutes } from './messages/search.js';
import { sendRoutes } from './messages/send.js';
import { messageStatusRoutes } from './messages/status.js';
import { uploadRoutes } from './messages/uploads.js';
import { metricsRoutes } from './metrics.js';
import { consentRoutes } from './oauth/consent.js';
import { oauthRoutes } from './oauth/token.js';
import { realtimeRoutes } from './realtime.js';
import type { Route } from './route.js';

export function allRoutes(services: Services): Route[] {
  const routes: Route[] = [
    ...healthRoutes(services),
    ...metricsRoutes(services),
    ...conversationSearchRoutes(services),
    ...sendRoutes(services),
    ...messageStatusRoutes(services),
    ...reviewReplyRoutes(services),
    ...scheduleRoutes(services),
    ...emailRoutes(services),
    ...messageSearchRoutes(services),
    ...messageReadRoutes(services),
    ...uploadRoutes(services),
    ...recordingRoutes(services),
    ...fileRoutes(services),
    ...liveChatTypingRoutes(services),
    ...realtimeRoutes(services),
    ...visitorRoutes(services),
    ...widgetAssetRoutes(),
    ...conversationRoutes(services),
    ...contactSearchRoutes(services),
    ...contactRoutes(services),
    ...locationRoutes(services),
    ...oauthRoutes(services),
    ...consentRoutes(services),
    ...adminLocationRoutes(services),
    ...adminConversationRoutes(services),
    ...adminOutboxRoutes(services),
    ...adminAppRoutes(services),
    ...adminLocationProviderRoutes(services),
    ...adminWebhookRoutes(services),
    ...adminInboundEmailRoutes(services),
    ...adminLiveChatRoutes(services),
    ...adminOAuthRoutes(services),
    ...adminRateLimitRoutes(services),
    ...sandboxResetRoutes(services),
    ...sandboxClockRoutes(services),
    ...sandboxFaultRoutes(services),
    ...sandboxSimulateRoutes(services),
    ...sandboxJournalRoutes(services),
    ...sandboxSnapshotRoutes(services),
    ...consoleSessionRoutes(services),
    ...consoleAssetRoutes(),
  ];
  // The MCP tools run the routes above, each through the whole request pipeline.
  return [...routes, ...mcpRoutes(services, routes)];
}
