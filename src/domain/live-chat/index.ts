// The live chat use cases, built on the core services (contacts, conversations, messages) and the realtime hub.
import type { Config } from '../../config.js';
import type { RealtimeHub } from '../../realtime/hub.js';
import type { Store } from '../../store/database.js';
import type { Clock } from '../clock.js';
import type { ContactService } from '../contacts.js';
import type { ConversationService } from '../conversations.js';
import type { MessageService } from '../messages/service.js';
import { LiveChatTypingService } from './typing.js';
import { VisitorService } from './visitors.js';
import { WidgetService } from './widgets.js';

export interface LiveChatServices {
  realtime: RealtimeHub;
  widgets: WidgetService;
  visitors: VisitorService;
  liveChatTyping: LiveChatTypingService;
}

export function liveChatServices(
  core: { contacts: ContactService; conversations: ConversationService; messages: MessageService },
  deps: { config: Config; store: Store; clock: Clock; realtime: RealtimeHub },
): LiveChatServices {
  const { config, store, clock, realtime } = deps;
  const widgets = new WidgetService(store, clock);
  return {
    realtime,
    widgets,
    liveChatTyping: new LiveChatTypingService(store, realtime),
    visitors: new VisitorService({ ...core, store, clock, config: config.liveChat, widgets, realtime }),
  };
}
