// A raw RFC 822 email (received over SMTP or posted by an operator) → what Switchboard records of it: the sender,
// recipients, the Message-IDs that place it in a thread, subject, HTML body and attachments. Parsed by mailparser.
import { type AddressObject, type EmailAddress, simpleParser } from 'mailparser';

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

/** Every `<id>` of a Message-ID header, whatever separates them. */
function messageIds(value: string | string[] | undefined): string[] {
  const text = Array.isArray(value) ? value.join(' ') : (value ?? '');
  return text.match(/<[^<>\s]+>/g) ?? [];
}

function addresses(header: AddressObject | AddressObject[] | undefined): string[] {
  const flatten = (entries: EmailAddress[]): string[] =>
    entries.flatMap((entry) => (entry.group ? flatten(entry.group) : entry.address ? [entry.address] : []));
  const objects = Array.isArray(header) ? header : header ? [header] : [];
  return [...new Set(objects.flatMap((object) => flatten(object.value)))];
}

export async function parseEmail(raw: Buffer): Promise<ReceivedEmail> {
  const parsed = await simpleParser(raw, { skipImageLinks: true });
  const sender = parsed.from?.value.find((entry) => entry.address);
  const references = messageIds(parsed.references).reverse();
  const threadIds = [...new Set([...messageIds(parsed.inReplyTo), ...references])];
  return {
    messageId: messageIds(parsed.messageId)[0] ?? null,
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
  };
}
