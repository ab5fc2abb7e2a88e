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

const YEAR_FIRST = /^(\d{4})([/\-._])(\d{1,2})\2(\d{1,2})$/;
const YEAR_LAST = /^(\d{1,2})([/\-._])(\d{1,2})\2(\d{4})$/;
const PRESENTED = /^(\d{4})-(\d{2})-(\d{2})T00:00:00(\.000)?Z$/;

function dateParts(text: string): [number, number, number] | null {
  const presented = PRESENTED.exec(text);
  if (presented) return [Number(presented[1]), Number(presented[2]), Number(presented[3])];
  const yearFirst = YEAR_FIRST.exec(text);
  if (yearFirst) return [Number(yearFirst[1]), Number(yearFirst[3]), Number(yearFirst[4])];
  const yearLast = YEAR_LAST.exec(text);
  if (yearLast) return [Number(yearLast[4]), Number(yearLast[1]), Number(yearLast[3])];
  return null;
}

/**
 * A birth date in any format HighLevel documents (YYYY/MM/DD or MM/DD/YYYY, separated by `/ - . _`), or as
 * presented back (`1990-09-25T00:00:00.000Z`, so a contact read can be written again); stored as presented.
 */
export function normaliseDateOfBirth(value: string): string {
  const parts = dateParts(value.trim());
  const date = parts ? new Date(Date.UTC(parts[0], parts[1] - 1, parts[2])) : null;
  if (
    !parts ||
    !date ||
    date.getUTCFullYear() !== parts[0] ||
    date.getUTCMonth() !== parts[1] - 1 ||
    date.getUTCDate() !== parts[2]
  ) {
    throw new DomainError('VALIDATION_FAILED', [
      'dateOfBirth must be a date as YYYY/MM/DD, MM/DD/YYYY, YYYY-MM-DD, MM-DD-YYYY, YYYY.MM.DD, MM.DD.YYYY, YYYY_MM_DD or MM_DD_YYYY',
    ]);
  }
  return date.toISOString();
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
