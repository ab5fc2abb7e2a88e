// The one list of every route Switchboard serves. Literal segments are registered as literals, so
// /conversations/search wins over /conversations/:conversationId whatever the order here.
import type { Services } from '../services.js';
import { adminConversationRoutes } from './admin/conversations.js';
import { adminLocationRoutes } from './admin/locations.js';
import { contactRoutes } from './contacts.js';
import { conversationSearchRoutes } from './conversation-search.js';
import { conversationRoutes } from './conversations.js';
import { healthRoutes } from './health.js';
import type { Route } from './route.js';

export function allRoutes(services: Services): Route[] {
  return [
    ...healthRoutes(),
    ...conversationSearchRoutes(services),
    ...conversationRoutes(services),
    ...contactRoutes(services),
    ...adminLocationRoutes(services),
    ...adminConversationRoutes(services),
  ];
}
