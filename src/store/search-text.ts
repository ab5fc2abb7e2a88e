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
