// Table shapes as Kysely sees them. Times are epoch milliseconds; booleans are 0/1 integers so one
// schema serves SQLite and PostgreSQL alike; JSON columns hold text.
import type { Generated } from 'kysely';

export interface LocationsTable {
  id: string;
  name: string;
  company_id: string | null;
  created_at: number;
  /** The sequence number of the location's latest domain event. */
  event_seq: Generated<number>;
}

export interface DomainEventsTable {
  location_id: string;
  seq: number;
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
  emails: EmailsTable;
  jobs: JobsTable;
  dev_outbox: DevOutboxTable;
  idempotency_keys: IdempotencyKeysTable;
}

export interface MessagesTable {
  seq: Generated<number>;
  id: string;
  location_id: string;
  conversation_id: string;
  contact_id: string;
  type: number;
  channel: string;
  direction: string;
  status: string;
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
  direction: string;
  status: string;
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
