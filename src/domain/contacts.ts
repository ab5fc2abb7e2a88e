// Contact use cases, the HighLevel way: create refuses duplicates, upsert matches on email then phone,
// and every change keeps the contact's conversation (search text, assignment) in step.

import type { ContactSearch } from '../store/contact-query.js';
import type { Store } from '../store/database.js';
import type { Executor } from '../store/executor.js';
import { type ContactPage, searchContacts } from '../store/repositories/contact-search.js';
import {
  type ContactRow,
  deleteContact,
  findContact,
  findContactByEmail,
  findContactByPhone,
  insertContact,
  replaceContact,
} from '../store/repositories/contacts.js';
import { findConversationByContact, syncConversationWithContact } from '../store/repositories/conversations.js';
import type { Clock } from './clock.js';
import { fullNameOf, normaliseDateOfBirth, normaliseEmail, normalisePhone, splitName } from './contact-fields.js';
import { removeConversation } from './conversations.js';
import { DomainError, notFound } from './errors.js';
import { newId } from './ids.js';

/** Fields kept as-is in the contact's attributes document. */
const ATTRIBUTE_FIELDS = [
  'gender',
  'address1',
  'city',
  'state',
  'postalCode',
  'website',
  'timezone',
  'dndSettings',
  'inboundDndSettings',
  'customFields',
  'source',
  'dateOfBirth',
  'country',
  'profilePhoto',
] as const;

export interface ContactInput {
  firstName?: string | null;
  lastName?: string | null;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  companyName?: string | null;
  assignedTo?: string | null;
  tags?: string[];
  dnd?: boolean;
  dateOfBirth?: string | null;
  [attribute: string]: unknown;
}

export interface UpsertResult {
  contact: ContactRow;
  created: boolean;
}

function blankToNull(value: string | null | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === '') return null;
  return value.trim();
}

/** Applies input onto a row (a fresh one for create); fields the input leaves out stay as they were. */
function applyInput(row: ContactRow, input: ContactInput, now: number): ContactRow {
  const next: ContactRow = { ...row, date_updated: now };
  let first = input.firstName !== undefined ? (blankToNull(input.firstName) ?? null) : row.first_name;
  let last = input.lastName !== undefined ? (blankToNull(input.lastName) ?? null) : row.last_name;
  const name = blankToNull(input.name);
  if (name && input.firstName === undefined && input.lastName === undefined) {
    const split = splitName(name);
    first = split.firstName;
    last = split.lastName;
  }
  next.first_name = first;
  next.last_name = last;
  next.full_name = name ?? fullNameOf(first, last);
  if (input.email !== undefined) {
    const email = blankToNull(input.email);
    next.email = email ? normaliseEmail(email) : null;
    next.email_lower = next.email?.toLowerCase() ?? null;
  }
  if (input.phone !== undefined) {
    const phone = blankToNull(input.phone);
    next.phone = phone ? normalisePhone(phone) : null;
  }
  if (input.companyName !== undefined) next.company_name = blankToNull(input.companyName) ?? null;
  if (input.assignedTo !== undefined) next.assigned_to = blankToNull(input.assignedTo) ?? null;
  if (input.tags !== undefined) next.tags = [...new Set(input.tags.map((t) => t.trim()).filter(Boolean))];
  if (input.dnd !== undefined) next.dnd = input.dnd;
  const attributes = { ...row.attributes };
  for (const field of ATTRIBUTE_FIELDS) {
    if (input[field] === undefined) continue;
    if (input[field] === null) delete attributes[field];
    else attributes[field] = input[field];
  }
  if (typeof input.dateOfBirth === 'string') {
    if (input.dateOfBirth.trim() === '') delete attributes.dateOfBirth;
    else attributes.dateOfBirth = normaliseDateOfBirth(input.dateOfBirth);
  }
  next.attributes = attributes;
  return next;
}

interface Duplicate {
  contact: ContactRow;
  field: 'email' | 'phone';
}

function duplicated(duplicate: Duplicate): DomainError {
  return new DomainError('BAD_REQUEST', 'This location does not allow duplicated contacts.', {
    meta: {
      contactName: duplicate.contact.full_name ?? undefined,
      contactId: duplicate.contact.id,
      matchingField: duplicate.field,
    },
  });
}

function emptyContact(locationId: string, now: number): ContactRow {
  return {
    id: newId(),
    location_id: locationId,
    first_name: null,
    last_name: null,
    full_name: null,
    email: null,
    email_lower: null,
    phone: null,
    company_name: null,
    assigned_to: null,
    tags: [],
    dnd: false,
    attributes: {},
    date_added: now,
    date_updated: now,
  };
}

/**
 * The contact an email from `sender` comes from, inside the caller's transaction: the location's contact with that
 * address, or a new one, as HighLevel creates a contact for an unknown sender.
 */
export async function contactForEmailSender(
  db: Executor,
  locationId: string,
  sender: { address: string; name: string | null },
  now: number,
): Promise<ContactRow> {
  const existing = await findContactByEmail(db, locationId, normaliseEmail(sender.address).toLowerCase());
  if (existing) return existing;
  const row = applyInput(emptyContact(locationId, now), { email: sender.address, name: sender.name }, now);
  await insertContact(db, row);
  return row;
}

/** The contact a text from `phone` comes from: the location's contact with that number, or a new one. */
export async function contactForPhoneSender(
  db: Executor,
  locationId: string,
  phone: string,
  now: number,
): Promise<ContactRow> {
  const existing = await findContactByPhone(db, locationId, normalisePhone(phone));
  if (existing) return existing;
  const row = applyInput(emptyContact(locationId, now), { phone }, now);
  await insertContact(db, row);
  return row;
}

export class ContactService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async get(locationId: string, id: string): Promise<ContactRow> {
    const row = await findContact(this.store.db, locationId, id);
    if (!row) throw notFound('Contact');
    return row;
  }

  async create(locationId: string, input: ContactInput): Promise<ContactRow> {
    const row = applyInput(emptyContact(locationId, this.clock.now()), input, this.clock.now());
    return this.store.unit(async ({ db: trx }) => {
      const duplicate = await this.findDuplicate(trx, row);
      if (duplicate) throw duplicated(duplicate);
      await insertContact(trx, row);
      return row;
    });
  }

  async update(locationId: string, id: string, input: ContactInput): Promise<ContactRow> {
    return this.store.unit(async ({ db: trx }) => {
      const existing = await findContact(trx, locationId, id);
      if (!existing) throw notFound('Contact');
      const row = applyInput(existing, input, this.clock.now());
      // Only a changed email or phone can collide; the contact's own values are no duplicate of itself.
      const changed = {
        ...row,
        email_lower: row.email_lower !== existing.email_lower ? row.email_lower : null,
        phone: row.phone !== existing.phone ? row.phone : null,
      };
      const duplicate = await this.findDuplicate(trx, changed);
      if (duplicate) throw duplicated(duplicate);
      await replaceContact(trx, row);
      await syncConversationWithContact(trx, row, this.clock.now());
      return row;
    });
  }

  async upsert(locationId: string, input: ContactInput): Promise<UpsertResult> {
    const now = this.clock.now();
    const probe = applyInput(emptyContact(locationId, now), input, now);
    return this.store.unit(async ({ db: trx }) => {
      const duplicate = await this.findDuplicate(trx, probe);
      if (!duplicate) {
        await insertContact(trx, probe);
        return { contact: probe, created: true };
      }
      const row = applyInput(duplicate.contact, input, now);
      await replaceContact(trx, row);
      await syncConversationWithContact(trx, row, now);
      return { contact: row, created: false };
    });
  }

  /** Runs a search built by contact-search.ts: one page of contacts and how many match in all. */
  search(search: ContactSearch): Promise<ContactPage> {
    return searchContacts(this.store.db, this.store.engine, search);
  }

  /** The contact a new one with this email or phone would duplicate (email first, then phone), as create checks it. */
  async findDuplicateOf(locationId: string, input: { email?: string; phone?: string }): Promise<ContactRow | null> {
    const probe = applyInput(emptyContact(locationId, 0), { email: input.email, phone: input.phone }, 0);
    return (await this.findDuplicate(this.store.db, probe))?.contact ?? null;
  }

  /** Adds tags to a contact's own (keeping theirs and the order they came in) or removes them; answers the result. */
  async changeTags(locationId: string, id: string, tags: string[], change: 'add' | 'remove'): Promise<string[]> {
    return this.store.unit(async ({ db: trx }) => {
      const existing = await findContact(trx, locationId, id);
      if (!existing) throw notFound('Contact');
      const current = existing.tags;
      const named = new Set(tags.map((tag) => tag.trim()).filter(Boolean));
      const next = change === 'add' ? [...current, ...named] : current.filter((tag) => !named.has(tag));
      const row = applyInput(existing, { tags: next }, this.clock.now());
      await replaceContact(trx, row);
      await syncConversationWithContact(trx, row, this.clock.now());
      return row.tags;
    });
  }

  async delete(locationId: string, id: string): Promise<void> {
    const deleted = await this.store.unit(async (tx) => {
      // The contact's conversation goes first, as a deleted conversation does: files released, deletion told.
      const conversation = await findConversationByContact(tx.db, locationId, id);
      if (conversation) await removeConversation(tx, conversation, this.clock.now());
      return deleteContact(tx.db, locationId, id);
    });
    if (!deleted) throw notFound('Contact');
  }

  private async findDuplicate(db: Executor, row: ContactRow): Promise<Duplicate | null> {
    if (row.email_lower) {
      const contact = await findContactByEmail(db, row.location_id, row.email_lower);
      if (contact) return { contact, field: 'email' as const };
    }
    if (row.phone) {
      const contact = await findContactByPhone(db, row.location_id, row.phone);
      if (contact) return { contact, field: 'phone' as const };
    }
    return null;
  }
}
