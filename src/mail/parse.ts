// A raw RFC 822 email (received over SMTP or posted by an operator) → what Switchboard records of it: the sender,
// recipients, the Message-IDs that place it in a thread, subject, HTML body and attachments. Parsed by mailparser.

import type { AddressObject, EmailAddress } from 'mailparser';
import { DomainError } from '../domain/errors.js';
import { MAX_ID_LENGTH, MAX_NAME_LENGTH, MAX_TEXT_LENGTH } from '../domain/text-bounds.js';

/** The largest raw email taken in: 25 MB of attachments grow by a third in base64, plus the rest of the message. */
export const MAX_INBOUND_EMAIL_BYTES = 36 * 1024 * 1024;

export interface ReceivedAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface ReceivedEmail {
  /** Its Message-ID, angle brackets included; null when it has none. */
  messageId: string | null;
  /** The Message-IDs it answers, in the order a thread is looked for: In-Reply-To, then References newest first. */
  threadIds: string[];
  from: { address: string; name: string | null } | null;
  to: string[];
  cc: string[];
  subject: string | null;
  /** The HTML part, else the text part as HTML. */
  html: string;
  /** Attachments proper; inline images of the HTML are left out. */
  attachments: ReceivedAttachment[];
}

/**
 * The longest Message-ID considered, in bytes of UTF-8: RFC 5322's line limit, which no real one approaches. Bytes, not
 * characters: PostgreSQL indexes it, and 998 characters of three bytes each would not fit an index row.
 */
export const MAX_MESSAGE_ID_LENGTH = 998;
/**
 * How many Message-IDs of In-Reply-To and References are looked for when threading: the parent and the newest
 * ancestors. A thread is found by its latest messages; an email naming thousands of ancestors (a cheap way to load
 * the database) has the rest ignored.
 */
export const MAX_THREAD_IDS = 20;

/** Every `<id>` of a Message-ID header, whatever separates them (ids too long to be real are skipped). */
function messageIds(value: string | string[] | undefined): string[] {
  const text = Array.isArray(value) ? value.join(' ') : (value ?? '');
  return (text.match(/<[^<>\s]+>/g) ?? []).filter((id) => Buffer.byteLength(id) <= MAX_MESSAGE_ID_LENGTH);
}

/** An email Switchboard refuses for good: over SMTP a 5xx (the sender must not retry), over HTTP a 4xx. */
function refuse(problem: string): DomainError {
  return new DomainError('VALIDATION_FAILED', [problem]);
}

/** What neither engine stores (PostgreSQL text cannot hold NUL), refused alike on both. */
function checkStorable(email: ReceivedEmail): ReceivedEmail {
  const fields: [string, string | null][] = [
    ['subject', email.subject],
    ['body', email.html],
    ['From', email.from?.address ?? null],
    ['From name', email.from?.name ?? null],
    ...email.attachments.map((attachment): [string, string] => ['attachment name', attachment.filename]),
  ];
  for (const [name, value] of fields) {
    if (value?.includes('\u0000')) throw refuse(`The email's ${name} must not contain NUL characters`);
  }
  // The body is bounded by the message size limit; the rest as the API bounds them, so no engine decides.
  const bounded: [string, string | null, number][] = [
    ['subject', email.subject, MAX_TEXT_LENGTH],
    // The sender's name names the contact a new thread makes: bounded as the API bounds a contact's name.
    ['From name', email.from?.name ?? null, MAX_NAME_LENGTH],
    ['From address', email.from?.address ?? null, MAX_ID_LENGTH],
    ...[...email.to, ...email.cc].map((address): [string, string, number] => [
      'recipient address',
      address,
      MAX_ID_LENGTH,
    ]),
    ...email.attachments.map((attachment): [string, string, number] => [
      'attachment name',
      attachment.filename,
      MAX_TEXT_LENGTH,
    ]),
  ];
  for (const [name, value, bound] of bounded) {
    if (value && value.length > bound) throw refuse(`The email's ${name} is longer than ${bound} characters`);
  }
  return email;
}

async function parseMime(raw: Buffer) {
  // Loaded on the first email: the MIME parser and its charset tables are a good part of a server's start-up, and
  // most servers take no inbound email.
  const { simpleParser } = await import('mailparser');
  try {
    return await simpleParser(raw, { skipImageLinks: true });
  } catch (error) {
    // mailparser's own limit on one part's header block (about 1 MB): the sender's problem, not ours.
    if ((error as { code?: unknown }).code === 'EMAXLEN') throw refuse("The email's header block is too large");
    throw error;
  }
}

function addresses(header: AddressObject | AddressObject[] | undefined): string[] {
  const flatten = (entries: EmailAddress[]): string[] =>
    entries.flatMap((entry) => (entry.group ? flatten(entry.group) : entry.address ? [entry.address] : []));
  const objects = Array.isArray(header) ? header : header ? [header] : [];
  return [...new Set(objects.flatMap((object) => flatten(object.value)))];
}

export async function parseEmail(raw: Buffer): Promise<ReceivedEmail> {
  const parsed = await parseMime(raw);
  const sender = parsed.from?.value.find((entry) => entry.address);
  const references = messageIds(parsed.references).reverse();
  const threadIds = [...new Set([...messageIds(parsed.inReplyTo), ...references])].slice(0, MAX_THREAD_IDS);
  const ownIds = (Array.isArray(parsed.messageId) ? parsed.messageId.join(' ') : (parsed.messageId ?? '')).match(
    /<[^<>\s]+>/g,
  );
  const messageId = ownIds?.[0] ?? null;
  if (messageId !== null && Buffer.byteLength(messageId) > MAX_MESSAGE_ID_LENGTH) {
    throw refuse(`The email's Message-ID is longer than ${MAX_MESSAGE_ID_LENGTH} bytes`);
  }
  return checkStorable({
    messageId,
    threadIds,
    from: sender?.address ? { address: sender.address, name: sender.name.trim() || null } : null,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    subject: parsed.subject ?? null,
    html: parsed.html || parsed.textAsHtml || '',
    attachments: parsed.attachments
      .filter((attachment) => !attachment.related)
      .map((attachment) => ({
        filename: attachment.filename ?? 'attachment',
        contentType: attachment.contentType,
        content: attachment.content,
      })),
  });
}
