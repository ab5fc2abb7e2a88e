// Every stored string has a bound both engines enforce: each string field of the write routes, sent over-long or with
// a NUL, is refused with a 422 (PostgreSQL refuses index rows over ~2.7 kB and NUL in text, where SQLite takes both:
// a bound left to the database would be a 500 on one engine and a stored value on the other).
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LONG_TEXT_LENGTH, MAX_NAME_LENGTH, MAX_TEXT_LENGTH } from '../../src/domain/text-bounds.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { send, uniquePhone } from '../helpers/messages.js';

type Json = Record<string, any>;

interface Write {
  method: string;
  path: (ids: Json) => string;
  /** A body the route accepts (checked first), made fresh for each case (unique phones, altIds). */
  body: (ids: Json) => Json;
  /** Its string fields to bend; `[]` marks a field holding a list of strings. */
  fields: string[];
  admin?: boolean;
}

let serial = 0;
const unique = () => `${Date.now()}-${++serial}`;

const WRITES: Write[] = [
  {
    method: 'POST',
    path: () => '/contacts/',
    body: (ids) => ({ locationId: ids.locationId, firstName: 'A', email: `a${unique()}@example.com` }),
    fields: [
      'firstName',
      'lastName',
      'name',
      'email',
      'address1',
      'city',
      'state',
      'postalCode',
      'website',
      'timezone',
      'companyName',
      'source',
      'tags[]',
    ],
  },
  {
    method: 'PUT',
    path: (ids) => `/contacts/${ids.contactId}`,
    body: () => ({ firstName: 'B' }),
    fields: ['firstName', 'lastName', 'name', 'address1', 'city', 'companyName', 'source', 'tags[]'],
  },
  {
    method: 'POST',
    path: (ids) => `/contacts/${ids.contactId}/tags`,
    body: () => ({ tags: ['t'] }),
    fields: ['tags[]'],
  },
  {
    method: 'POST',
    path: () => '/conversations/messages',
    body: (ids) => ({ type: 'SMS', contactId: ids.contactId, message: 'hi' }),
    fields: ['message'],
  },
  {
    method: 'POST',
    path: () => '/conversations/messages',
    body: (ids) => ({ type: 'Email', contactId: ids.contactId, html: '<p>hi</p>', subject: 'S' }),
    fields: ['html', 'subject', 'emailFrom', 'emailTo', 'emailCc[]', 'emailBcc[]', 'replyMessageId'],
  },
  {
    method: 'POST',
    path: () => '/conversations/messages/inbound',
    body: (ids) => ({ type: 'SMS', contactId: ids.contactId, message: 'in', altId: unique() }),
    fields: ['message', 'altId'],
  },
  {
    method: 'POST',
    path: () => '/conversations/messages/inbound',
    body: (ids) => ({ type: 'Email', contactId: ids.contactId, html: 'h', subject: 's', altId: unique() }),
    fields: ['html', 'subject', 'emailFrom', 'emailTo', 'emailMessageId', 'altId'],
  },
  {
    method: 'POST',
    path: () => '/conversations/messages/outbound',
    body: (ids) => ({ type: 'Call', conversationId: ids.conversationId, altId: unique() }),
    fields: ['altId'],
  },
  {
    method: 'PATCH',
    path: (ids) => `/admin/v1/locations/${ids.locationId}/conversations/${ids.conversationId}`,
    body: () => ({ assignedTo: 'user-1' }),
    fields: ['assignedTo'],
    admin: true,
  },
];

const WITH_NUL = 'before\u0000after';
/** Fields PostgreSQL indexes for search (contact names, company, email), bounded tighter than other text. */
const NAME_FIELDS = ['firstName', 'lastName', 'name', 'companyName', 'email'];

/**
 * `length` characters no compression shrinks, each three bytes of UTF-8 (CJK ideographs in random order): the
 * widest a value of that length can be in an index row. 'x'.repeat(n) would compress to nothing and prove nothing.
 */
function incompressible(length: number): string {
  return Array.from({ length }, () => String.fromCharCode(0x4e00 + randomInt(0x5000))).join('');
}

describe.each(ENGINES)('bounds of stored strings on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  const ids: Json = {};

  beforeAll(async () => {
    harness = await startHarness(engine);
    location = await createLocation(harness);
    const contact = await createContact(location, { phone: uniquePhone() });
    const conversation = await createConversation(location, contact.id);
    await send(location, { type: 'SMS', contactId: contact.id, message: 'bounds' });
    Object.assign(ids, { locationId: location.locationId, contactId: contact.id, conversationId: conversation.id });
  });
  afterAll(() => harness?.close());

  const call = (write: Write, body: Json) =>
    (write.admin ? harness.admin : location.api).request(write.method, null, write.path(ids), { body, raw: true });

  it.each(
    WRITES.map(
      (write) =>
        [
          `${write.method} ${write.path({ locationId: '{locationId}', contactId: '{contactId}', conversationId: '{conversationId}' })} ${write.fields[0]}…`,
          write,
        ] as const,
    ),
  )('%s: a 422 for an over-long or NUL-bearing value in each string field', async (_name, write) => {
    const base = await call(write, write.body(ids));
    expect(base.status, JSON.stringify(base.body)).toBeLessThan(300);
    const wrong: string[] = [];
    for (const field of write.fields) {
      const name = field.replace('[]', '');
      const bound = ['message', 'html'].includes(name)
        ? MAX_LONG_TEXT_LENGTH
        : NAME_FIELDS.includes(name)
          ? MAX_NAME_LENGTH
          : MAX_TEXT_LENGTH;
      for (const bad of ['x'.repeat(bound + 1), WITH_NUL]) {
        const body = { ...write.body(ids), [name]: field.endsWith('[]') ? [bad] : bad };
        const answer = await call(write, body);
        if (answer.status !== 422)
          wrong.push(`${name} (${bad.length} chars): ${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('stores names and email addresses at their bound on both engines, however wide their characters', async () => {
    const name = () => incompressible(MAX_NAME_LENGTH);
    // Local part and domain labels of random letters: a longest address, which nothing compresses either.
    const label = (length: number) =>
      Array.from({ length }, () => 'abcdefghijklmnopqrstuvwxyz'[randomInt(26)]).join('');
    const email = `${label(64)}@${[label(60), label(60), label(60)].join('.')}.com`;
    expect(email.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
    const bodies: Json[] = [
      { firstName: name(), lastName: name(), companyName: name(), email },
      // Another address (a duplicate would be refused): its first letter changed.
      { name: name(), email: `${email.startsWith('b') ? 'c' : 'b'}${email.slice(1)}` },
    ];
    for (const fields of bodies) {
      const created = await location.api.request('POST', null, '/contacts/', {
        body: { locationId: location.locationId, ...fields },
        raw: true,
      });
      expect(created.status, JSON.stringify(created.body).slice(0, 300)).toBe(201);
      const updated = await location.api.request('PUT', null, `/contacts/${created.body.contact.id}`, {
        body: { firstName: name(), lastName: name() },
        raw: true,
      });
      expect(updated.status, JSON.stringify(updated.body).slice(0, 300)).toBe(200);
    }
  });
});
