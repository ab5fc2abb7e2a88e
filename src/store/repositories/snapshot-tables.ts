// What a location snapshot holds, table by table: the columns of each (checked against schema.ts by the compiler, so
// a new column is a compile error here until it is placed), the order rows are written in, and which rows belong to
// the location. Tables are listed parents first: a restore inserts them in this order.
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Database } from '../schema.js';

/** A column's JSON type in the file: text or number, `?` when it may be null. */
export type ColumnKind = 's' | 's?' | 'n' | 'n?';

type Columns<Row> = { [K in keyof Row]-?: ColumnKind };

export type SnapshotTableName =
  | 'apps'
  | 'conversation_providers'
  | 'locations'
  | 'location_rate_limits'
  | 'api_tokens'
  | 'app_installations'
  | 'provider_installations'
  | 'oauth_grants'
  | 'oauth_refresh_tokens'
  | 'live_chat_widgets'
  | 'contacts'
  | 'conversations'
  | 'conversation_followers'
  | 'conversation_mentions'
  | 'conversation_scores'
  | 'conversation_reviews'
  | 'messages'
  | 'emails'
  | 'message_transcriptions'
  | 'files'
  | 'jobs';

/** Columns a snapshot leaves out: each is made again by the database or the restore. */
type Omitted = {
  /** Insertion order, given again on restore (rows are written in its order, so relative order survives). */
  conversations: 'seq';
  messages: 'seq';
  /** The conversation's seq, looked up again on restore. */
  conversation_scores: 'conversation_seq';
  /** Restored bytes get a key of their own (a replaced location's old bytes are removed under theirs). */
  files: 'storage_key';
};

type RowOf<T extends SnapshotTableName> = T extends keyof Omitted ? Omit<Database[T], Omitted[T]> : Database[T];

export interface SnapshotTable<T extends SnapshotTableName = SnapshotTableName> {
  name: T;
  columns: Columns<RowOf<T>>;
  /** Rows are written in this order (unique), and read in pages by it. */
  orderBy: string[];
  /** The rows of the location. */
  belongs: (locationId: string) => Expression<SqlBool>;
  /** Rows shared with other locations (apps and their providers): a restore adds them when absent, else keeps what is there. */
  shared?: true;
  /** The column that must name the snapshot's location, checked on restore. */
  locationColumn?: string;
}

const ofLocation = (locationId: string) => sql<SqlBool>`location_id = ${locationId}`;
const table = <T extends SnapshotTableName>(spec: SnapshotTable<T>): SnapshotTable<T> => spec;

/** Followers and mentions: users of a conversation. */
const members = (name: 'conversation_followers' | 'conversation_mentions') =>
  table({
    name,
    orderBy: ['conversation_id', 'user_id'],
    locationColumn: 'location_id',
    belongs: ofLocation,
    columns: { location_id: 's', conversation_id: 's', user_id: 's' },
  });

/** The apps the location uses: installed, or named by its tokens, grants or installed providers. */
const locationApps = (locationId: string) => sql<SqlBool>`id in (
  select app_id from app_installations where location_id = ${locationId}
  union select app_id from api_tokens where location_id = ${locationId} and app_id is not null
  union select app_id from oauth_grants where location_id = ${locationId}
  union select p.app_id from provider_installations i join conversation_providers p on p.id = i.provider_id
    where i.location_id = ${locationId})`;

export const SNAPSHOT_TABLES: readonly SnapshotTable[] = [
  table({
    name: 'apps',
    shared: true,
    orderBy: ['id'],
    belongs: locationApps,
    columns: {
      id: 's',
      name: 's',
      scopes: 's',
      webhook_url: 's?',
      webhook_events: 's?',
      created_at: 'n',
      updated_at: 'n',
      client_id: 's?',
      client_secret_hash: 's?',
      redirect_uris: 's',
    },
  }),
  table({
    name: 'conversation_providers',
    shared: true,
    orderBy: ['id'],
    belongs: (locationId) =>
      sql<SqlBool>`id in (select provider_id from provider_installations where location_id = ${locationId})`,
    columns: { id: 's', app_id: 's', name: 's', type: 's', delivery_url: 's', created_at: 'n', updated_at: 'n' },
  }),
  table({
    name: 'locations',
    orderBy: ['id'],
    locationColumn: 'id',
    belongs: (locationId) => sql<SqlBool>`id = ${locationId}`,
    columns: { id: 's', name: 's', company_id: 's?', created_at: 'n' },
  }),
  table({
    name: 'location_rate_limits',
    orderBy: ['location_id'],
    locationColumn: 'location_id',
    belongs: ofLocation,
    columns: { location_id: 's', enabled: 'n?', burst_max: 'n?', interval_ms: 'n?', daily_max: 'n?', updated_at: 'n' },
  }),
  table({
    name: 'api_tokens',
    orderBy: ['id'],
    locationColumn: 'location_id',
    belongs: ofLocation,
    columns: {
      id: 's',
      location_id: 's',
      name: 's?',
      token_hash: 's',
      scopes: 's',
      created_at: 'n',
      revoked_at: 'n?',
      app_id: 's?',
    },
  }),
  table({
    name: 'app_installations',
    orderBy: ['app_id'],
    locationColumn: 'location_id',
    belongs: ofLocation,
    columns: { location_id: 's', app_id: 's', created_at: 'n' },
  }),
  table({
    name: 'provider_installations',
    orderBy: ['provider_id'],
    locationColumn: 'location_id',
    belongs: ofLocation,
    columns: { location_id: 's', provider_id: 's', type: 's', is_default: 'n', created_at: 'n' },
  }),
  table({
    name: 'oauth_grants',
    orderBy: ['id'],
    locationColumn: 'location_id',
    belongs: ofLocation,
    columns: {
      id: 's',
      app_id: 's',
      user_type: 's',
      location_id: 's?',
      company_id: 's?',
      scopes: 's',
      user_id: 's',
      created_at: 'n',
      revoked_at: 'n?',
    },
  }),
  table({
    name: 'oauth_refresh_tokens',
    orderBy: ['token_hash'],
    belongs: (locationId) => sql<SqlBool>`grant_id in (select id from oauth_grants where location_id = ${locationId})`,
    columns: { token_hash: 's', grant_id: 's', created_at: 'n', expires_at: 'n', used_at: 'n?' },
  }),
  table({
    name: 'live_chat_widgets',
    orderBy: ['id'],
    locationColumn: 'location_id',
    belongs: ofLocation,
    columns: {
      id: 's',
      location_id: 's',
      name: 's',
      title: 's',
      greeting: 's?',
      color: 's',
      date_added: 'n',
      date_updated: 'n',
    },
  }),
  table({
    name: 'contacts',
    orderBy: ['id'],
    locationColumn: 'location_id',
    belongs: ofLocation,
    columns: {
      id: 's',
      location_id: 's',
      first_name: 's?',
      last_name: 's?',
      full_name: 's?',
      email: 's?',
      email_lower: 's?',
      phone: 's?',
      company_name: 's?',
      assigned_to: 's?',
      tags: 's',
      dnd: 'n',
      attributes: 's',
      date_added: 'n',
      date_updated: 'n',
    },
  }),
  table({
    name: 'conversations',
    orderBy: ['seq'],
    locationColumn: 'location_id',
    belongs: ofLocation,
    columns: {
      id: 's',
      location_id: 's',
      contact_id: 's',
      type: 'n',
      assigned_to: 's?',
      unread_count: 'n',
      starred: 'n',
      inbox: 'n',
      feedback: 's?',
      last_message_body: 's?',
      last_message_type: 's?',
      last_message_direction: 's?',
      last_outbound_action: 's?',
      last_message_provider_id: 's?',
      last_message_at: 'n',
      last_manual_message_at: 'n',
      due_at: 'n?',
      search_text: 's',
      date_added: 'n',
      date_updated: 'n',
    },
  }),
  members('conversation_followers'),
  members('conversation_mentions'),
  table({
    name: 'conversation_scores',
    orderBy: ['conversation_id', 'profile_id'],
    locationColumn: 'location_id',
    belongs: ofLocation,
    columns: { location_id: 's', conversation_id: 's', profile_id: 's', score: 'n' },
  }),
  table({
    name: 'conversation_reviews',
    orderBy: ['conversation_id'],
    locationColumn: 'location_id',
    belongs: ofLocation,
    columns: {
      conversation_id: 's',
      location_id: 's',
      review_id: 's',
      rating: 'n?',
      comment: 's?',
      reviewer_name: 's?',
      reply_message_id: 's?',
      date_added: 'n',
      date_updated: 'n',
    },
  }),
  // By date, then seq: the (location_id, date_added, seq) index serves each page without a sort (by seq alone, SQLite
  // sorted the location's every message for each page). A restore numbers them in this order, so messages of the
  // same date keep their order, which is all that seq breaks ties for in a history.
  table({
    name: 'messages',
    orderBy: ['date_added', 'seq'],
    locationColumn: 'location_id',
    belongs: ofLocation,
    columns: {
      id: 's',
      location_id: 's',
      conversation_id: 's',
      contact_id: 's',
      type: 'n',
      channel: 's',
      direction: 's',
      status: 's',
      body: 's?',
      content_type: 's',
      attachments: 's',
      meta: 's',
      source: 's?',
      sub_type: 's?',
      user_id: 's?',
      conversation_provider_id: 's?',
      alt_key: 's?',
      alt_id: 's?',
      thread_id: 's?',
      chat_widget_id: 's?',
      error: 's?',
      scheduled_at: 'n?',
      date_added: 'n',
      date_updated: 'n',
    },
  }),
  table({
    name: 'emails',
    orderBy: ['id'],
    locationColumn: 'location_id',
    belongs: ofLocation,
    columns: {
      id: 's',
      message_id: 's',
      location_id: 's',
      conversation_id: 's',
      contact_id: 's',
      thread_id: 's',
      alt_id: 's?',
      subject: 's?',
      body: 's',
      direction: 's',
      status: 's',
      content_type: 's',
      attachments: 's',
      provider: 's',
      from_address: 's',
      to_addresses: 's',
      cc: 's',
      bcc: 's',
      reply_to_message_id: 's?',
      source: 's?',
      conversation_provider_id: 's?',
      rfc_message_id: 's',
      events: 's',
      event_first_at: 's',
      recipients: 's',
      open_tracking: 'n',
      scheduled_at: 'n?',
      date_added: 'n',
      date_updated: 'n',
    },
  }),
  table({
    name: 'message_transcriptions',
    orderBy: ['message_id'],
    locationColumn: 'location_id',
    belongs: ofLocation,
    columns: { message_id: 's', location_id: 's', sentences: 's', source: 's', date_added: 'n', date_updated: 'n' },
  }),
  table({
    name: 'files',
    orderBy: ['id'],
    locationColumn: 'location_id',
    belongs: ofLocation,
    columns: {
      id: 's',
      location_id: 's',
      name: 's',
      content_type: 's',
      size: 'n',
      checksum: 's',
      source: 's',
      conversation_id: 's?',
      date_added: 'n',
    },
  }),
  // Scheduled sends waiting for their time: without them a restored scheduled message would never go.
  table({
    name: 'jobs',
    orderBy: ['id'],
    locationColumn: 'location_id',
    belongs: (locationId) =>
      sql<SqlBool>`location_id = ${locationId} and kind = 'message.deliver' and status = 'pending'`,
    columns: {
      id: 's',
      kind: 's',
      location_id: 's',
      subject_id: 's?',
      payload: 's',
      status: 's',
      run_at: 'n',
      attempts: 'n',
      max_attempts: 'n',
      locked_until: 'n?',
      locked_by: 's?',
      last_error: 's?',
      created_at: 'n',
      updated_at: 'n',
    },
  }),
];

export const SNAPSHOT_TABLE_BY_NAME = new Map(SNAPSHOT_TABLES.map((spec) => [spec.name, spec]));
