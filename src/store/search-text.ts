// The text conversation search matches, as stored in each conversation's search document (SQLite FTS5 trigram
// table, PostgreSQL pg_trgm index): how it is built is the store's format, shared by every writer and the seed.

/** The lower-cased text that conversation search matches: contact name, email, phone (with and without +). */
export function contactSearchText(contact: {
  full_name: string | null;
  email: string | null;
  phone: string | null;
  company_name: string | null;
}): string {
  return [contact.full_name, contact.email, contact.phone, contact.phone?.replace(/^\+/, ''), contact.company_name]
    .filter((part): part is string => Boolean(part))
    .join(' ')
    .toLowerCase();
}

/** Conversation search text: the contact's, then the start of the last message body. */
export function conversationSearchText(contactText: string, lastMessageBody: string | null): string {
  if (!lastMessageBody) return contactText;
  return `${contactText}\n${lastMessageBody.slice(0, 1000).toLowerCase()}`;
}

/** Plain text of an HTML body, enough for a summary line and for search. */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The text message search indexes (and highlights) for one email (migration 0029): its subject, then its body as plain
 * text. SQLite's triggers call it as `switchboard_email_text(subject, body)`, registered on every connection
 * (src/store/database.ts).
 */
export function emailSearchText(subject: string | null, html: string): string {
  return subject ? `${subject} — ${textOf(html)}` : textOf(html);
}
