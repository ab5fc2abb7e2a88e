// Seeded contacts: a name, a unique email and phone (most have both), sometimes a company, tags and an address,
// assigned to one of the location's users more often than not.
import type { StoredContactRow } from '../store/repositories/contacts.js';
import { type SeedPlan, STREAM } from './plan.js';
import { Random } from './random.js';
import {
  AREA_CODES,
  CITIES,
  COMPANY_KINDS,
  COMPANY_WORDS,
  EMAIL_DOMAINS,
  FIRST_NAMES,
  LAST_NAMES,
  SOURCES,
  TAGS,
} from './vocabulary.js';

export interface ContactFacts {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  companyName: string | null;
  assignedTo: string | null;
}

/** The contact's fields, recomputable from its index alone (the message phase needs its name and address). */
export function contactFacts(plan: SeedPlan, k: number): ContactFacts {
  const random = Random.of(plan.options.seed, STREAM.contact, k);
  const location = plan.locationOfContact(k);
  const named = random.chance(0.97);
  const firstName = named ? random.pick(FIRST_NAMES) : null;
  const lastName = named && random.chance(0.95) ? random.pick(LAST_NAMES) : null;
  let hasEmail = random.chance(0.8);
  const hasPhone = random.chance(0.85) || !hasEmail;
  if (!named) hasEmail = true;
  // The index makes addresses and numbers unique, as HighLevel's duplicate rules would have them.
  const handle = [firstName, lastName].filter(Boolean).join('.').toLowerCase() || 'contact';
  const email = hasEmail ? `${handle}.${k.toString(36)}@${random.pick(EMAIL_DOMAINS)}` : null;
  const area = AREA_CODES[(Math.floor(k / 1e7) + location.index) % AREA_CODES.length] as number;
  const local = String((k * 7919 + 1234567) % 1e7).padStart(7, '0');
  const phone = hasPhone ? `+1${area}${local}` : null;
  const companyName = random.chance(0.12) ? `${random.pick(COMPANY_WORDS)} ${random.pick(COMPANY_KINDS)}` : null;
  const assignedTo = random.chance(0.7) ? random.pick(location.users) : null;
  return { firstName, lastName, email, phone, companyName, assignedTo };
}

export function contactRow(plan: SeedPlan, k: number, id: string): StoredContactRow {
  const facts = contactFacts(plan, k);
  const random = Random.of(plan.options.seed, STREAM.contact + 100, k);
  const location = plan.locationOfContact(k);
  const conversation = plan.conversationOfContact(k);
  // A contact exists before its conversation opens; one without a conversation was added any time.
  const addedS =
    conversation >= 0
      ? plan.conversationStartS(conversation) - random.int(30 * 24 * 3600)
      : plan.startS + random.int(plan.endS - plan.startS);
  const tags = random.chance(0.6)
    ? [...new Set([random.pick(TAGS), random.pick(TAGS)])].slice(0, 1 + random.int(2))
    : [];
  const attributes: Record<string, unknown> = {};
  if (random.chance(0.5)) {
    const [city, state, timezone] = random.pick(CITIES);
    Object.assign(attributes, { city, state, country: 'US', timezone, source: random.pick(SOURCES) });
  }
  const fullName = [facts.firstName, facts.lastName].filter(Boolean).join(' ') || null;
  const added = addedS * 1000 + random.int(1000);
  return {
    id,
    location_id: location.id,
    first_name: facts.firstName,
    last_name: facts.lastName,
    full_name: fullName,
    email: facts.email,
    email_lower: facts.email?.toLowerCase() ?? null,
    phone: facts.phone,
    company_name: facts.companyName,
    assigned_to: facts.assignedTo,
    tags: JSON.stringify(tags),
    dnd: random.chance(0.02) ? 1 : 0,
    attributes: JSON.stringify(attributes),
    date_added: added,
    date_updated: added,
  };
}
