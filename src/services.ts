// The use cases the routes call, built once per app from the store and the clock.

import { bootstrapDemo } from './bootstrap.js';
import type { Config } from './config.js';
import { CustomProviderAdapter } from './delivery/custom-provider.js';
import { withDeliveryFaults } from './delivery/faults.js';
import { createDeliveryRouter } from './delivery/index.js';
import { AppService } from './domain/apps.js';
import { AuthService } from './domain/auth.js';
import { type Clock, systemClock } from './domain/clock.js';
import { ConsoleSessionService } from './domain/console-sessions.js';
import { ContactService } from './domain/contacts.js';
import { ConversationService } from './domain/conversations.js';
import { DevOutboxService } from './domain/dev-outbox.js';
import { DirectUploadService } from './domain/direct-uploads.js';
import { FileService } from './domain/files.js';
import { type LiveChatServices, liveChatServices } from './domain/live-chat/index.js';
import { LocationService } from './domain/locations.js';
import { EmailService } from './domain/messages/email.js';
import { InboundEmailService } from './domain/messages/inbound-email.js';
import { MessageReadService } from './domain/messages/read.js';
import { ReviewService } from './domain/messages/review-reply.js';
import { ScheduleService } from './domain/messages/schedule.js';
import { MessageSearchService } from './domain/messages/search.js';
import { MessageService } from './domain/messages/service.js';
import { MessageStatusService } from './domain/messages/status.js';
import { OAuthAccessTokens } from './domain/oauth/access-tokens.js';
import { OAuthAuthorizations } from './domain/oauth/authorizations.js';
import { OperatorSessions } from './domain/oauth/operator-session.js';
import { OAuthSigningKey } from './domain/oauth/signing-key.js';
import { OAuthTokenService } from './domain/oauth/tokens.js';
import { ProviderService } from './domain/providers.js';
import { RateLimitService } from './domain/rate-limits.js';
import { RecordingService } from './domain/recordings.js';
import { FaultRegistry } from './domain/sandbox/faults.js';
import { type SandboxServices, sandboxServices } from './domain/sandbox/index.js';
import { TranscriptionService } from './domain/transcriptions.js';
import { UploadService } from './domain/uploads.js';
import { EventLog } from './events/event-log.js';
import { createBlobStore } from './files/index.js';
import { ConsoleSessions } from './http/console-session.js';
import { collectBlobJob } from './jobs/collect-blob.js';
import { deliverMessageJob } from './jobs/deliver-message.js';
import { deliverWebhookJob } from './jobs/deliver-webhook.js';
import { Housekeeping } from './jobs/housekeeping.js';
import { JobRunner } from './jobs/runner.js';
import { JournalRecorder } from './journal/recorder.js';
import { registerProbes } from './metrics/probes.js';
import { Metrics } from './metrics/registry.js';
import { createRateCounter } from './ratelimit/index.js';
import { ReadinessCheck } from './readiness.js';
import { RealtimeHub } from './realtime/hub.js';
import { createEventBus } from './realtime/index.js';
import type { Store } from './store/database.js';
import { createTranscriber } from './transcription/port.js';
import { WebhookFanOut } from './webhooks/fan-out.js';
import { WebhookService } from './webhooks/service.js';
import { WebhookSigner } from './webhooks/signer.js';

export interface Services extends LiveChatServices {
  events: EventLog;
  jobs: JobRunner;
  /** Deletes finished jobs and ended webhook deliveries past their retention. */
  housekeeping: Housekeeping;
  metrics: Metrics;
  readiness: ReadinessCheck;
  messages: MessageService;
  messageStatus: MessageStatusService;
  reviews: ReviewService;
  schedules: ScheduleService;
  outbox: DevOutboxService;
  emails: EmailService;
  messageReads: MessageReadService;
  messageSearch: MessageSearchService;
  config: Config;
  clock: Clock;
  auth: AuthService;
  locations: LocationService;
  contacts: ContactService;
  conversations: ConversationService;
  apps: AppService;
  providers: ProviderService;
  webhooks: WebhookService;
  files: FileService;
  inboundEmail: InboundEmailService;
  uploads: UploadService;
  directUploads: DirectUploadService;
  recordings: RecordingService;
  transcriptions: TranscriptionService;
  oauth: OAuthServices;
  rateLimits: RateLimitService;
  sandbox: SandboxServices;
  /** Browser sessions of the console, whose cookie stands in for a bearer token (src/http/console-session.ts). */
  consoleSessions: ConsoleSessions;
}

/** OAuth apps: authorising them (consent page, admin), their tokens, and the key those are signed with. */
export interface OAuthServices {
  authorizations: OAuthAuthorizations;
  tokens: OAuthTokenService;
  key: OAuthSigningKey;
  operators: OperatorSessions;
}

export function createServices(config: Config, store: Store, clock: Clock): Services {
  // The operator's sign-ins (the console, the OAuth consent page) are in the operator's time: moving the sandbox's
  // virtual clock (from the console itself, say) must not end them, and their cookies' Max-Age counts real seconds.
  const operatorClock = config.sandbox.clock === 'virtual' ? systemClock : clock;
  const events = new EventLog(store, clock);
  const metrics = new Metrics();
  const jobs = new JobRunner(store, clock, { pollMs: config.workerPollMs, ...config.jobs }, (kind, outcome) =>
    metrics.jobRuns.inc({ kind, outcome }),
  );
  const blobs = createBlobStore(config);
  const files = new FileService({ store, blobs, clock, config });
  const builtInEmail = config.smtp ? { smtp: config.smtp, files } : undefined;
  // Webhooks and custom providers: signed POSTs to registered URLs, queued in the transaction of each change.
  const outbound = { allowedHosts: new Set(config.outbound.allowedHosts), timeoutMs: config.outbound.timeoutMs };
  const signer = new WebhookSigner(store);
  const customProviders = new CustomProviderAdapter({ store, clock, signer, policy: outbound });
  const faults = new FaultRegistry();
  const router = withDeliveryFaults(createDeliveryRouter(store, clock, customProviders, builtInEmail), faults);
  const deliverJob = deliverMessageJob(store, clock, router, (outcome) => metrics.messageDeliveries.inc({ outcome }));
  jobs.register(deliverJob);
  const deliverWebhook = deliverWebhookJob({
    store,
    clock,
    signer,
    policy: outbound,
    faults,
    onAttempt: (outcome) => metrics.webhookAttempts.inc({ outcome }),
  });
  jobs.register(deliverWebhook);
  jobs.register(collectBlobJob({ store, blobs }));
  events.addSink(new WebhookFanOut({ jobs, deliverJob: deliverWebhook, clock }));
  const limits = { maxFileBytes: config.files.maxFileBytes, maxFiles: config.files.maxFilesPerRequest };
  const recordings = new RecordingService({ store, files, maxRemoteBytes: config.files.fetchMaxBytes });
  const transcriber = createTranscriber(config);
  const realtime = new RealtimeHub(store, createEventBus(config, store), config.realtime, clock);
  events.addNotifier(realtime);
  registerProbes(metrics, { store, clock, jobs, realtime });
  const oauthKey = new OAuthSigningKey(store);
  const accessTokens = new OAuthAccessTokens({ store, clock, key: oauthKey });
  const authorizations = new OAuthAuthorizations({ store, clock });
  const auth = new AuthService(store, config.adminToken, accessTokens);
  const rateLimits: RateLimitService = new RateLimitService({
    store,
    clock,
    config: config.rateLimit,
    counter: createRateCounter(config.rateLimit, (error) => rateLimits.counterError(error)),
  });
  const core = {
    jobs,
    housekeeping: new Housekeeping(store, clock, config.retention),
    events,
    metrics,
    readiness: new ReadinessCheck(store, blobs),
    messages: new MessageService({ store, clock, jobs, deliverJob, emailDomain: config.emailDomain }),
    messageStatus: new MessageStatusService({ store, clock }),
    reviews: new ReviewService({ store, clock, jobs, deliverJob, emailDomain: config.emailDomain }),
    schedules: new ScheduleService({ store, clock, deliverKind: deliverJob.kind }),
    outbox: new DevOutboxService(store),
    emails: new EmailService({ store, clock, deliverKind: deliverJob.kind }),
    messageReads: new MessageReadService(store),
    messageSearch: new MessageSearchService(store),
    config,
    clock,
    auth,
    oauth: {
      authorizations,
      tokens: new OAuthTokenService({ store, clock, accessTokens, authorizations }),
      key: oauthKey,
      operators: new OperatorSessions({ store, clock: operatorClock, auth, configuredAdminToken: config.adminToken }),
    },
    rateLimits,
    consoleSessions: new ConsoleSessions(
      new ConsoleSessionService({ store, clock: operatorClock, auth }),
      config.publicUrl.startsWith('https:'),
    ),
    locations: new LocationService(store, clock),
    contacts: new ContactService(store, clock),
    conversations: new ConversationService(store, clock),
    apps: new AppService({ store, clock, outbound }),
    providers: new ProviderService({ store, clock, outbound }),
    webhooks: new WebhookService({ store, clock, jobs, deliverJob: deliverWebhook, signer }),
    files,
    inboundEmail: new InboundEmailService({
      store,
      clock,
      files,
      emailDomain: config.emailDomain,
      maxAttachmentBytes: config.files.maxFileBytes,
    }),
    uploads: new UploadService({ store, files, limits }),
    directUploads: new DirectUploadService({ store, blobs, clock, config, files }),
    recordings,
    transcriptions: new TranscriptionService({ store, clock, recordings, transcriber }),
  };
  const liveChat = liveChatServices(core, { config, store, clock, realtime });
  const services: Services = {
    ...core,
    ...liveChat,
    sandbox: sandboxServices({
      store,
      clock,
      jobs,
      blobs,
      files,
      faults,
      emailDomain: config.emailDomain,
      messageStatus: core.messageStatus,
      recorder: new JournalRecorder({ store, clock, config: config.sandbox.journal }),
      snapshotMaxBytes: config.sandbox.snapshotMaxBytes,
      // A whole-instance reset leaves the instance as a first start would (the demo location, if BOOTSTRAP_DEMO).
      afterResetAll: async () => {
        await bootstrapDemo(config, store, services);
      },
    }),
  };
  return services;
}
