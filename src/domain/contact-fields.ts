// Normalises contact input the way HighLevel does: E.164-ish phones, lower-cased email keys, split names.
import { DomainError } from './errors.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normaliseEmail(email: string): string {
  const trimmed = email.trim();
  if (!EMAIL.test(trimmed) || trimmed.length > 320) {
    throw new DomainError('VALIDATION_FAILED', ['email must be an email']);
  }
  return trimmed;
}

/** Strips formatting; a bare 10-digit number is taken as North American (+1), as HighLevel's US default does. */
export function normalisePhone(phone: string): string {
  const trimmed = phone.trim();
  const digits = trimmed.replace(/\D/g, '');
  if (!/^\+?[\d\s().\-/]+$/.test(trimmed) || digits.length < 7 || digits.length > 15) {
    throw new DomainError('VALIDATION_FAILED', ['phone must be a valid phone number']);
  }
  if (trimmed.startsWith('+')) return `+${digits}`;
  if (digits.length === 10) return `+1${digits}`;
  return `+${digits}`;
}

export function splitName(name: string): { firstName: string; lastName: string | null } {
  const parts = name.trim().split(/\s+/);
  const [first = '', ...rest] = parts;
  return { firstName: first, lastName: rest.length > 0 ? rest.join(' ') : null };
}

export function fullNameOf(first: string | null, last: string | null): string | null {
  const name = [first, last].filter((part) => part && part.trim() !== '').join(' ');
  return name === '' ? null : name;
}

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
