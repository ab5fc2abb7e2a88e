// The use cases the routes call, built once per app from the store and the clock.

import type { Config } from './config.js';
import { AuthService } from './domain/auth.js';
import type { Clock } from './domain/clock.js';
import { ContactService } from './domain/contacts.js';
import { ConversationService } from './domain/conversations.js';
import { LocationService } from './domain/locations.js';
import type { Store } from './store/database.js';

export interface Services {
  config: Config;
  clock: Clock;
  auth: AuthService;
  locations: LocationService;
  contacts: ContactService;
  conversations: ConversationService;
}

export function createServices(config: Config, store: Store, clock: Clock): Services {
  return {
    config,
    clock,
    auth: new AuthService(store, config.adminToken),
    locations: new LocationService(store, clock),
    contacts: new ContactService(store, clock),
    conversations: new ConversationService(store, clock),
  };
}
