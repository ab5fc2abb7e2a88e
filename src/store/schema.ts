// Table shapes as Kysely sees them. Times are epoch milliseconds; booleans are 0/1 integers so one
// schema serves SQLite and PostgreSQL alike; JSON columns hold text.
import type { Generated } from 'kysely';

export interface LocationsTable {
  id: string;
  name: string;
  company_id: string | null;
  created_at: number;
}

/** The sequence number of a location's latest domain event (no row: none yet). */
export interface LocationEventSeqsTable {
  location_id: string;
  seq: number;
}

/** Exact counts kept by triggers (migration 0010); on PostgreSQL a count is the sum of its rows. */
export interface LocationCountsTable {
  location_id: string;
  name: string;
  n: number;
}

export interface DomainEventsTable {
  location_id: string;
  /** Gap-free per location. PostgreSQL: null until numbered, after commit (migration 0015). */
  seq: number | null;
  id: string;
  type: string;
  payload: string;
  created_at: number;
}

export interface ApiTokensTable {
  id: string;
  location_id: string;
  name: string | null;
  token_hash: string;
  scopes: string;
  created_at: number;
  revoked_at: number | null;
  /** The app the token belongs to (its provider reports and inbound messages are that app's); null: none. */
  app_id: string | null;
}

export interface InstanceSettingsTable {
  key: string;
  value: string;
}

export interface ContactsTable {
  id: string;
  location_id: string;
  first_name: string | null;
  last_name: string | null;
  full_name: string | null;
  email: string | null;
  email_lower: string | null;
  phone: string | null;
  company_name: string | null;
  assigned_to: string | null;
  tags: string;
  dnd: number;
  /** Every other accepted contact field (address, timezone, dndSettings, customFields, ...) as JSON. */
  attributes: string;
  date_added: number;
  date_updated: number;
}

export interface ConversationsTable {
  seq: Generated<number>;
  id: string;
  location_id: string;
  contact_id: string;
  type: number;
  assigned_to: string | null;
  unread_count: number;
  starred: number;
  inbox: number;
  feedback: string | null;
  last_message_body: string | null;
  last_message_type: string | null;
  last_message_direction: string | null;
  last_outbound_action: string | null;
  last_message_provider_id: string | null;
  last_message_at: number;
  last_manual_message_at: number;
  due_at: number | null;
  search_text: string;
  date_added: number;
  date_updated: number;
}

export interface ConversationMembersTable {
  location_id: string;
  conversation_id: string;
  user_id: string;
}

export interface ConversationScoresTable {
  location_id: string;
  conversation_id: string;
  /** The conversation's seq, the tiebreak of a score sort. */
  conversation_seq: number;
  profile_id: string;
  score: number;
}

export interface ConversationReviewsTable {
  conversation_id: string;
  location_id: string;
  review_id: string;
  rating: number | null;
  comment: string | null;
  reviewer_name: string | null;
  /** The latest reply sent through review-reply. */
  reply_message_id: string | null;
  date_added: number;
  date_updated: number;
}

export interface Database {
  locations: LocationsTable;
  api_tokens: ApiTokensTable;
  instance_settings: InstanceSettingsTable;
  contacts: ContactsTable;
  conversations: ConversationsTable;
  conversation_followers: ConversationMembersTable;
  conversation_mentions: ConversationMembersTable;
  conversation_scores: ConversationScoresTable;
  conversation_reviews: ConversationReviewsTable;
  messages: MessagesTable;
  domain_events: DomainEventsTable;
  location_event_seqs: LocationEventSeqsTable;
  location_counts: LocationCountsTable;
  emails: EmailsTable;
  jobs: JobsTable;
  dev_outbox: DevOutboxTable;
  idempotency_keys: IdempotencyKeysTable;
  apps: AppsTable;
  app_installations: AppInstallationsTable;
  conversation_providers: ConversationProvidersTable;
  provider_installations: ProviderInstallationsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  files: FilesTable;
  file_uploads: FileUploadsTable;
  message_transcriptions: MessageTranscriptionsTable;
  live_chat_widgets: LiveChatWidgetsTable;
  live_chat_sessions: LiveChatSessionsTable;
  oauth_grants: OAuthGrantsTable;
  oauth_codes: OAuthCodesTable;
  oauth_refresh_tokens: OAuthRefreshTokensTable;
  location_rate_limits: LocationRateLimitsTable;
  request_journal: RequestJournalTable;
  console_sessions: ConsoleSessionsTable;
}

/**
 * Where a message (or one email of a thread) stands in its lifecycle; the changes between these are the domain's
 * transition table (src/domain/messages/lifecycle.ts).
 */
export type MessageStatus =
  | 'scheduled'
  | 'pending'
  | 'queued'
  | 'sent'
  | 'delivered'
  | 'read'
  | 'opened'
  | 'clicked'
  | 'connected'
  | 'failed'
  | 'undelivered'
  | 'opt_out';

export type MessageDirection = 'inbound' | 'outbound';

export interface MessagesTable {
  seq: Generated<number>;
  id: string;
  location_id: string;
  conversation_id: string;
  contact_id: string;
  type: number;
  channel: string;
  direction: MessageDirection;
  status: MessageStatus;
  body: string | null;
  content_type: string;
  attachments: string;
  meta: string;
  source: string | null;
  sub_type: string | null;
  user_id: string | null;
  conversation_provider_id: string | null;
  alt_key: string | null;
  alt_id: string | null;
  thread_id: string | null;
  chat_widget_id: string | null;
  error: string | null;
  scheduled_at: number | null;
  date_added: number;
  date_updated: number;
}

export interface EmailsTable {
  id: string;
  message_id: string;
  location_id: string;
  conversation_id: string;
  contact_id: string;
  thread_id: string;
  alt_id: string | null;
  subject: string | null;
  body: string;
  direction: MessageDirection;
  status: MessageStatus;
  content_type: string;
  attachments: string;
  provider: string;
  from_address: string;
  to_addresses: string;
  cc: string;
  bcc: string;
  reply_to_message_id: string | null;
  source: string | null;
  conversation_provider_id: string | null;
  rfc_message_id: string;
  events: string;
  event_first_at: string;
  recipients: string;
  open_tracking: number;
  scheduled_at: number | null;
  date_added: number;
  date_updated: number;
}

export interface JobsTable {
  id: string;
  kind: string;
  location_id: string;
  subject_id: string | null;
  payload: string;
  status: string;
  run_at: number;
  attempts: number;
  max_attempts: number;
  locked_until: number | null;
  /** The runner holding the job's lease while it runs. */
  locked_by: string | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface DevOutboxTable {
  id: string;
  location_id: string;
  message_id: string;
  email_id: string | null;
  delivery_key: string;
  channel: string;
  payload: string;
  created_at: number;
}

export interface IdempotencyKeysTable {
  location_id: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: string;
  created_at: number;
}

/** A stored file: its bytes live in the blob store under storage_key. */
export interface FilesTable {
  id: string;
  location_id: string;
  name: string;
  content_type: string;
  size: number;
  /** SHA-256 of the bytes, hex. */
  checksum: string;
  storage_key: string;
  /** upload | url | direct */
  source: string;
  conversation_id: string | null;
  date_added: number;
}

/** A direct upload (initiate → signed PUT → complete); its bytes are stored under its own id. */
export interface FileUploadsTable {
  id: string;
  location_id: string;
  conversation_id: string;
  file_path: string;
  filename: string;
  declared_type: string;
  channel: string;
  max_size: number;
  expires_at: number;
  status: string;
  size: number | null;
  checksum: string | null;
  /** The type the bytes' content shows, null when it is none of the allowed ones. */
  content_type: string | null;
  file_id: string | null;
  date_added: number;
  date_updated: number;
}

export interface MessageTranscriptionsTable {
  message_id: string;
  location_id: string;
  /** The sentences as JSON. */
  sentences: string;
  /** provider | transcriber */
  source: string;
  date_added: number;
  date_updated: number;
}

/** An integration: its scopes bound its tokens and the webhooks it receives at its webhook URL. */
export interface AppsTable {
  id: string;
  name: string;
  /** JSON list of scopes. */
  scopes: string;
  webhook_url: string | null;
  /** JSON list of webhook types subscribed to; null: every type the scopes allow. */
  webhook_events: string | null;
  created_at: number;
  updated_at: number;
  /** OAuth client id, `<appId>-<suffix>`. */
  client_id: string | null;
  /** SHA-256 of the client secret; null until one is issued. */
  client_secret_hash: string | null;
  /** JSON list of the redirect URIs an authorisation may send its code to. */
  redirect_uris: string;
}

export interface AppInstallationsTable {
  location_id: string;
  app_id: string;
  created_at: number;
}

/** A conversation provider of an app: SMS, Email or Call, delivered to its delivery URL. */
export interface ConversationProvidersTable {
  id: string;
  app_id: string;
  name: string;
  type: string;
  delivery_url: string;
  created_at: number;
  updated_at: number;
}

/** A provider available on a location; a default one serves its channel's messages that name no provider. */
export interface ProviderInstallationsTable {
  location_id: string;
  provider_id: string;
  type: string;
  is_default: number;
  created_at: number;
}

/** One webhook for one app: its exact body, and where its delivery stands. */
export interface WebhookDeliveriesTable {
  id: string;
  app_id: string;
  location_id: string;
  event_id: string;
  type: string;
  body: string;
  /** pending | delivered | dead */
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookAttemptsTable {
  delivery_id: string;
  attempt: number;
  url: string | null;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  attempted_at: number;
}

/** A live chat widget: its id is public (it is in the embed code of the location's sites). */
export interface LiveChatWidgetsTable {
  id: string;
  location_id: string;
  name: string;
  title: string;
  greeting: string | null;
  color: string;
  date_added: number;
  date_updated: number;
}

/** A visitor's session with a widget: its id is the visitorId, its token a SHA-256 digest. */
export interface LiveChatSessionsTable {
  id: string;
  token_hash: string;
  widget_id: string;
  location_id: string;
  contact_id: string;
  conversation_id: string;
  start_seq: number;
  date_added: number;
  expires_at: number;
}

/** What an app was authorised for: a location, or a company (and so its locations). */
export interface OAuthGrantsTable {
  id: string;
  app_id: string;
  /** Location | Company */
  user_type: string;
  location_id: string | null;
  company_id: string | null;
  /** JSON list of scopes. */
  scopes: string;
  /** Who authorised it (HighLevel's userId). */
  user_id: string;
  created_at: number;
  revoked_at: number | null;
}

/** A short-lived, single-use authorisation code, stored as a SHA-256 digest. */
export interface OAuthCodesTable {
  code_hash: string;
  app_id: string;
  user_type: string;
  location_id: string | null;
  company_id: string | null;
  scopes: string;
  redirect_uri: string | null;
  user_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  /** The grant it was exchanged for (revoked when the code is presented again). */
  grant_id: string | null;
}

/** A rotating refresh token (SHA-256 digest): used once, its successor belongs to the same grant. */
export interface OAuthRefreshTokensTable {
  token_hash: string;
  grant_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** A location's own rate limits; null fields take the configured defaults. */
export interface LocationRateLimitsTable {
  location_id: string;
  enabled: number | null;
  burst_max: number | null;
  interval_ms: number | null;
  daily_max: number | null;
  updated_at: number;
}

/** One public API request, as the sandbox journal recorded it (bodies trimmed, never a credential). */
export interface RequestJournalTable {
  /** Also the entry's id, as the journal shows it (migration 0025). */
  seq: Generated<number>;
  location_id: string;
  method: string;
  path: string;
  /** The route template (`/conversations/:conversationId`); null for an unknown route. */
  route: string | null;
  /** JSON object of the query parameters. */
  query: string;
  status: number;
  duration_ms: number;
  token_id: string | null;
  app_id: string | null;
  trace_id: string;
  request_body: string | null;
  response_body: string | null;
  created_at: number;
}

export interface ConsoleSessionsTable {
  id_hash: string;
  kind: 'admin' | 'location';
  token_hash: string;
  location_id: string | null;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}
