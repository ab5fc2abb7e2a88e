// Email row → GetEmailMessageResponseDto, unwrapped as the spec shows it. Optional strings are left out rather
// than null. Documented extensions beyond the spec: `events` (delivery counters), `recipients` (per-recipient
// statuses) and `eventTimestamps` (first delivered/opened/clicked, ISO), as custom providers report them.
import type { EmailEvents, EventTimestamps, RecipientStatus } from '../domain/email-status.js';
import type { EmailRow } from '../store/repositories/emails.js';

export interface EmailDto {
  id: string;
  altId?: string;
  threadId: string;
  locationId: string;
  contactId: string;
  conversationId: string;
  dateAdded: string;
  subject?: string;
  body: string;
  direction: string;
  status: string;
  contentType: string;
  attachments: string[];
  provider: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyToMessageId?: string;
  source?: string;
  conversationProviderId?: string;
  events: EmailEvents;
  recipients: RecipientStatus[];
  eventTimestamps: EventTimestamps;
}

export function presentEmail(row: EmailRow): EmailDto {
  const dto: EmailDto = {
    id: row.id,
    threadId: row.thread_id,
    locationId: row.location_id,
    contactId: row.contact_id,
    conversationId: row.conversation_id,
    dateAdded: new Date(row.date_added).toISOString(),
    body: row.body,
    direction: row.direction,
    status: row.status,
    contentType: row.content_type,
    attachments: row.attachments,
    provider: row.provider,
    from: row.from_address,
    to: row.to_addresses,
    cc: row.cc,
    bcc: row.bcc,
    events: row.events,
    recipients: row.recipients,
    eventTimestamps: row.event_first_at,
  };
  if (row.alt_id) dto.altId = row.alt_id;
  if (row.subject !== null) dto.subject = row.subject;
  if (row.reply_to_message_id) dto.replyToMessageId = row.reply_to_message_id;
  if (row.source) dto.source = row.source;
  if (row.conversation_provider_id) dto.conversationProviderId = row.conversation_provider_id;
  return dto;
}
