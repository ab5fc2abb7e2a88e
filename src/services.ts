// The use cases the routes call, built once per app from the store and the clock.

import type { Config } from './config.js';
import { createDeliveryRouter } from './delivery/index.js';
import { AuthService } from './domain/auth.js';
import type { Clock } from './domain/clock.js';
import { ContactService } from './domain/contacts.js';
import { ConversationService } from './domain/conversations.js';
import { DevOutboxService } from './domain/dev-outbox.js';
import { LocationService } from './domain/locations.js';
import { EmailService } from './domain/messages/email.js';
import { MessageReadService } from './domain/messages/read.js';
import { ReviewService } from './domain/messages/review-reply.js';
import { ScheduleService } from './domain/messages/schedule.js';
import { MessageService } from './domain/messages/service.js';
import { MessageStatusService } from './domain/messages/status.js';
import { EventLog } from './events/event-log.js';
import { deliverMessageJob } from './jobs/deliver-message.js';
import { JobRunner } from './jobs/runner.js';
import type { Store } from './store/database.js';

export interface Services {
  events: EventLog;
  jobs: JobRunner;
  messages: MessageService;
  messageStatus: MessageStatusService;
  reviews: ReviewService;
  schedules: ScheduleService;
  outbox: DevOutboxService;
  emails: EmailService;
  messageReads: MessageReadService;
  config: Config;
  clock: Clock;
  auth: AuthService;
  locations: LocationService;
  contacts: ContactService;
  conversations: ConversationService;
}

export function createServices(config: Config, store: Store, clock: Clock): Services {
  const events = new EventLog(store, clock);
  const jobs = new JobRunner(store, clock, config.workerPollMs);
  const deliverJob = deliverMessageJob(store, events, clock, createDeliveryRouter(store, clock));
  jobs.register(deliverJob);
  return {
    jobs,
    events,
    messages: new MessageService({ store, events, clock, jobs, deliverJob, emailDomain: config.emailDomain }),
    messageStatus: new MessageStatusService({ events, clock }),
    reviews: new ReviewService({ store, events, clock, jobs, deliverJob, emailDomain: config.emailDomain }),
    schedules: new ScheduleService({ store, clock, deliverKind: deliverJob.kind }),
    outbox: new DevOutboxService(store),
    emails: new EmailService({ store, events, clock, deliverKind: deliverJob.kind }),
    messageReads: new MessageReadService(store),
    config,
    clock,
    auth: new AuthService(store, config.adminToken),
    locations: new LocationService(store, clock),
    contacts: new ContactService(store, clock),
    conversations: new ConversationService(store, events, clock),
  };
}
