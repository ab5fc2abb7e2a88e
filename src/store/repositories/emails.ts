// Individual emails of an email thread (a thread is one conversation message of type TYPE_EMAIL).
import type { Executor } from '../executor.js';
import { encodePatch, flag, jsonObject, stringList, toFlag } from '../records/columns.js';
import type { EmailsTable, MessageDirection, MessageStatus } from '../schema.js';
import { messageDirection, messageStatus } from './messages.js';

/** Aggregate delivery event counters (`delivered`, `opened`, provider counters such as `permanent_fail`). */
export type EmailEvents = Record<string, number>;

export type TimestampedEvent = 'delivered' | 'opened' | 'clicked';

/** When delivered/opened/clicked first happened (ISO strings), kept once set. */
export type EventTimestamps = Partial<Record<TimestampedEvent, string>>;

export interface RecipientStatus {
  emailId: string;
  status: string;
  failReason?: string;
  dateUpdated: string;
}

/** An email row as stored: JSON as text, open tracking 0/1. */
export type StoredEmailRow = EmailsTable;

/** An email as the domain and presenters read it: status and direction checked, JSON parsed, flags boolean. */
export interface EmailRecord
  extends Omit<
    EmailsTable,
    | 'direction'
    | 'status'
    | 'attachments'
    | 'to_addresses'
    | 'cc'
    | 'bcc'
    | 'events'
    | 'event_first_at'
    | 'recipients'
    | 'open_tracking'
  > {
  direction: MessageDirection;
  status: MessageStatus;
  attachments: string[];
  to_addresses: string[];
  cc: string[];
  bcc: string[];
  events: EmailEvents;
  event_first_at: EventTimestamps;
  recipients: RecipientStatus[];
  open_tracking: boolean;
}
export type EmailPatch = Partial<Omit<EmailRecord, 'id' | 'location_id' | 'message_id'>>;
/** @deprecated the name before records: an email as read. */
export type EmailRow = EmailRecord;

function decodeCounters(text: string): EmailEvents {
  const counters = jsonObject(text);
  for (const [name, value] of Object.entries(counters)) if (typeof value !== 'number') delete counters[name];
  return counters as EmailEvents;
}

function decodeTimestamps(text: string): EventTimestamps {
  const stored = jsonObject(text);
  const timestamps: EventTimestamps = {};
  for (const event of ['delivered', 'opened', 'clicked'] as const) {
    const at = stored[event];
    if (typeof at === 'string') timestamps[event] = at;
  }
  return timestamps;
}

function decodeRecipients(text: string): RecipientStatus[] {
  if (text === '[]') return [];
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(
    (entry): entry is RecipientStatus =>
      entry !== null &&
      typeof entry === 'object' &&
      typeof entry.emailId === 'string' &&
      typeof entry.status === 'string',
  );
}

export function decodeEmail(row: StoredEmailRow): EmailRecord {
  return {
    ...row,
    direction: messageDirection(row.direction),
    status: messageStatus(row.status),
    attachments: stringList(row.attachments),
    to_addresses: stringList(row.to_addresses),
    cc: stringList(row.cc),
    bcc: stringList(row.bcc),
    events: decodeCounters(row.events),
    event_first_at: decodeTimestamps(row.event_first_at),
    recipients: decodeRecipients(row.recipients),
    open_tracking: flag(row.open_tracking),
  };
}

const json = (value: unknown) => JSON.stringify(value);
const EMAIL_ENCODERS = {
  attachments: json,
  to_addresses: json,
  cc: json,
  bcc: json,
  events: json,
  event_first_at: json,
  recipients: json,
  open_tracking: toFlag,
};

export function encodeEmail(record: EmailRecord): StoredEmailRow {
  return {
    ...record,
    attachments: json(record.attachments),
    to_addresses: json(record.to_addresses),
    cc: json(record.cc),
    bcc: json(record.bcc),
    events: json(record.events),
    event_first_at: json(record.event_first_at),
    recipients: json(record.recipients),
    open_tracking: toFlag(record.open_tracking),
  };
}

const decodeFirst = (row: StoredEmailRow | undefined) => (row ? decodeEmail(row) : undefined);

export async function insertEmail(db: Executor, email: EmailRecord): Promise<void> {
  await db.insertInto('emails').values(encodeEmail(email)).execute();
}

export async function findEmail(db: Executor, locationId: string, id: string): Promise<EmailRecord | undefined> {
  return decodeFirst(
    await db
      .selectFrom('emails')
      .selectAll()
      .where('id', '=', id)
      .where('location_id', '=', locationId)
      .executeTakeFirst(),
  );
}

export async function findEmailById(db: Executor, id: string): Promise<EmailRecord | undefined> {
  return decodeFirst(await db.selectFrom('emails').selectAll().where('id', '=', id).executeTakeFirst());
}

export async function updateEmail(db: Executor, id: string, patch: EmailPatch): Promise<void> {
  const row = encodePatch<EmailRecord, StoredEmailRow>(patch, EMAIL_ENCODERS);
  await db.updateTable('emails').set(row).where('id', '=', id).execute();
}

export async function deleteEmail(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('emails').where('id', '=', id).execute();
}

/** The email ids of each thread message, oldest first (meta.email.messageIds). */
export async function emailIdsByMessage(db: Executor, messageIds: readonly string[]): Promise<Map<string, string[]>> {
  const byMessage = new Map<string, string[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await db
    .selectFrom('emails')
    .select(['id', 'message_id'])
    .where('message_id', 'in', messageIds)
    .orderBy('message_id')
    .orderBy('date_added')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const list = byMessage.get(row.message_id) ?? [];
    list.push(row.id);
    byMessage.set(row.message_id, list);
  }
  return byMessage;
}

export async function emailsOfMessage(db: Executor, messageId: string): Promise<EmailRecord[]> {
  const rows = await db
    .selectFrom('emails')
    .selectAll()
    .where('message_id', '=', messageId)
    .orderBy('date_added')
    .orderBy('id')
    .execute();
  return rows.map(decodeEmail);
}

/**
 * The email of a location that the first of `rfcMessageIds` names (In-Reply-To, then References newest first):
 * one statement for the whole list, however long the caller let it be.
 */
export async function findThreadEmail(
  db: Executor,
  locationId: string,
  rfcMessageIds: readonly string[],
): Promise<EmailRow | undefined> {
  if (rfcMessageIds.length === 0) return undefined;
  const rows = await db
    .selectFrom('emails')
    .selectAll()
    .where('location_id', '=', locationId)
    .where('rfc_message_id', 'in', rfcMessageIds)
    .execute();
  for (const id of rfcMessageIds) {
    const row = rows.find((candidate) => candidate.rfc_message_id === id);
    if (row) return decodeEmail(row);
  }
  return undefined;
}

/** Finds an email by the RFC 5322 Message-ID it was sent or received with, for threading replies. */
export async function findEmailByRfcId(db: Executor, locationId: string, rfcMessageId: string) {
  return decodeFirst(
    await db
      .selectFrom('emails')
      .selectAll()
      .where('location_id', '=', locationId)
      .where('rfc_message_id', '=', rfcMessageId)
      .executeTakeFirst(),
  );
}

/**
 * The time to give a new email of a thread: `at`, moved past the thread's latest email when it would tie, so a
 * thread's order (and so its References chain) never depends on ids.
 */
export async function nextEmailTime(db: Executor, messageId: string, at: number): Promise<number> {
  const row = await db
    .selectFrom('emails')
    .select((eb) => eb.fn.max('date_added').as('latest'))
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  const latest = row?.latest === null || row?.latest === undefined ? undefined : Number(row.latest);
  return latest === undefined ? at : Math.max(at, latest + 1);
}

/** Emails of any location sent or received with one of these Message-IDs (the inbound SMTP listener's threading). */
export async function findEmailsByRfcIds(db: Executor, rfcMessageIds: readonly string[]): Promise<EmailRecord[]> {
  if (rfcMessageIds.length === 0) return [];
  const rows = await db.selectFrom('emails').selectAll().where('rfc_message_id', 'in', rfcMessageIds).execute();
  return rows.map(decodeEmail);
}
