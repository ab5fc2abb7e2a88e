// Table shapes as Kysely sees them. Times are epoch milliseconds; booleans are 0/1 integers so one
// schema serves SQLite and PostgreSQL alike; JSON columns hold text.
import type { Generated } from 'kysely';

export interface LocationsTable {
  id: string;
  name: string;
  company_id: string | null;
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
  profile_id: string;
  score: number;
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
}
