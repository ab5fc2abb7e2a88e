// The one list of every route Switchboard serves. Literal segments are registered as literals, so
// /conversations/search wins over /conversations/:conversationId whatever the order here.
import type { Services } from '../services.js';
import { adminConversationRoutes } from './admin/conversations.js';
import { adminLocationRoutes } from './admin/locations.js';
import { adminOutboxRoutes } from './admin/outbox.js';
import { contactRoutes } from './contacts.js';
import { conversationSearchRoutes } from './conversation-search.js';
import { conversationRoutes } from './conversations.js';
import { healthRoutes } from './health.js';
import { emailRoutes } from './messages/email.js';
import { messageReadRoutes } from './messages/read.js';
import { reviewReplyRoutes } from './messages/review-reply.js';
import { scheduleRoutes } from './messages/schedule.js';
import { sendRoutes } from './messages/send.js';
import { messageStatusRoutes } from './messages/status.js';
import type { Route } from './route.js';

export function allRoutes(services: Services): Route[] {
  return [
    ...healthRoutes(),
    ...conversationSearchRoutes(services),
    ...sendRoutes(services),
    ...messageStatusRoutes(services),
    ...reviewReplyRoutes(services),
    ...scheduleRoutes(services),
    ...emailRoutes(services),
    ...messageReadRoutes(services),
    ...conversationRoutes(services),
    ...contactRoutes(services),
    ...adminLocationRoutes(services),
    ...adminConversationRoutes(services),
    ...adminOutboxRoutes(services),
  ];
}
