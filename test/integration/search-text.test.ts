// GET /conversations/search?query=: substring match over the contact's name, email, phone and company,
// case-insensitive, any length, any script, and with LIKE/FTS metacharacters taken literally.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { conversationFor, search, searchIds } from '../helpers/search-support.js';

/** Each contact names only what it is given: no default name or email that a fragment could hit by accident. */
const CONTACTS = {
  alice: { firstName: 'Alice', lastName: 'Smith', email: 'Alice.Smith@Acme.io', companyName: 'Acme Corp' },
  zoe: { firstName: 'Zoë', lastName: 'Brontë', email: 'zb@moors.test' },
  yamada: { name: '山田太郎', email: 'yamada@jp.test' },
  rocket: { firstName: 'Rita', companyName: 'Rocket 🚀 Labs' },
  phone: { firstName: 'Paul', phone: '+1 415 555 0123' },
  percent: { firstName: 'Pct', companyName: '100% Pure' },
  underscore: { firstName: 'Und', companyName: 'Snake_Case Ltd' },
  backslash: { firstName: 'Bks', companyName: 'Back\\Slash Co' },
  quote: { firstName: 'Qte', companyName: 'The "Quoted" Inc' },
  apostrophe: { firstName: 'Sean', lastName: "O'Brien" },
  // Decoys: what each metacharacter would match if it were a wildcard.
  digits: { firstName: 'Dgt', companyName: '1000 Units' },
  snakeX: { firstName: 'Dsx', companyName: 'SnakeXCase Ltd' },
  backX: { firstName: 'Dbx', companyName: 'BackXSlash Co' },
} as const;
type Name = keyof typeof CONTACTS;

describe.each(ENGINES)('conversation search by text on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;
  const ids = {} as Record<Name, string>;

  beforeAll(async () => {
    harness = await startHarness(engine);
    location = await createLocation(harness);
    for (const [name, fields] of Object.entries(CONTACTS)) {
      ids[name as Name] = await conversationFor(location, { firstName: null, lastName: null, email: null, ...fields });
    }
  });
  afterAll(() => harness?.close());

  async function expectMatches(query: string, names: Name[]) {
    const found = await searchIds(location, { query, limit: 100 });
    expect([...found].sort(), `query ${JSON.stringify(query)}`).toEqual(names.map((name) => ids[name]).sort());
  }

  it('matches fragments of the contact name, case-insensitively, at any length', async () => {
    await expectMatches('alice', ['alice']);
    await expectMatches('ALICE', ['alice']);
    await expectMatches('SmItH', ['alice']);
    await expectMatches('ce sm', ['alice']);
    await expectMatches('mit', ['alice']);
    await expectMatches('mi', ['alice']);
    await expectMatches('q', ['quote']);
    await expectMatches('  alice  ', ['alice']);
    await expectMatches('alice smith', ['alice']);
    await expectMatches('alice jones', []);
  });

  it('matches the email and the company name', async () => {
    await expectMatches('alice.smith@acme.io', ['alice']);
    await expectMatches('ACME.IO', ['alice']);
    await expectMatches('@acme', ['alice']);
    await expectMatches('acme corp', ['alice']);
    await expectMatches('corp', ['alice']);
    await expectMatches('units', ['digits']);
  });

  it('matches the phone with and without the leading +, and by its digits', async () => {
    await expectMatches('+14155550123', ['phone']);
    await expectMatches('14155550123', ['phone']);
    await expectMatches('+1415', ['phone']);
    await expectMatches('5550', ['phone']);
    await expectMatches('55', ['phone']);
  });

  it('matches unicode: accents, CJK and emoji, short or long', async () => {
    await expectMatches('zoë', ['zoe']);
    await expectMatches('ZOË', ['zoe']);
    await expectMatches('ë', ['zoe']);
    await expectMatches('rontë', ['zoe']);
    await expectMatches('太', ['yamada']);
    await expectMatches('山田', ['yamada']);
    await expectMatches('田太郎', ['yamada']);
    await expectMatches('🚀', ['rocket']);
    await expectMatches('t 🚀 l', ['rocket']);
    await expectMatches('rocket 🚀 labs', ['rocket']);
    await expectMatches('🙂', []);
    const item = (await search(location, { query: 'zoë' })).body.conversations[0];
    expect(item).toMatchObject({ fullName: 'Zoë Brontë', contactName: 'Zoë Brontë' });
  });

  it('takes % _ \\ " and \' literally, never as wildcards or syntax', async () => {
    await expectMatches('%', ['percent']);
    await expectMatches('0%', ['percent']);
    await expectMatches('100% p', ['percent']);
    await expectMatches('_', ['underscore']);
    await expectMatches('e_c', ['underscore']);
    await expectMatches('snake_case', ['underscore']);
    await expectMatches('\\', ['backslash']);
    await expectMatches('k\\s', ['backslash']);
    await expectMatches('back\\slash', ['backslash']);
    await expectMatches('"', ['quote']);
    await expectMatches('"quoted"', ['quote']);
    await expectMatches('e "q', ['quote']);
    await expectMatches("'", ['apostrophe']);
    await expectMatches("o'brien", ['apostrophe']);
    await expectMatches("n o'b", ['apostrophe']);
    for (const syntax of ['acme*', 'alice OR zoë', 'NEAR(alice)', 'a:b', '%%%', '___', '\\%', '""', "''", '*']) {
      await expectMatches(syntax, []);
    }
  });

  it('follows renames of the contact', async () => {
    const own = await createLocation(harness);
    const contact = await createContact(own, { firstName: 'Oldname', lastName: 'Person', email: null });
    const conversation = await createConversation(own, contact.id);
    expect(await searchIds(own, { query: 'oldname' })).toEqual([conversation.id]);
    const renamed = await own.api.put('contacts:update-contact', `/contacts/${contact.id}`, {
      firstName: 'Newname',
      companyName: 'Fresh Co',
    });
    expect(renamed.status).toBe(200);
    expect(await searchIds(own, { query: 'oldname' })).toEqual([]);
    expect(await searchIds(own, { query: 'newname person' })).toEqual([conversation.id]);
    expect(await searchIds(own, { query: 'fresh' })).toEqual([conversation.id]);
  });

  it('counts text matches in total and pages through them', async () => {
    const own = await createLocation(harness);
    for (let i = 0; i < 7; i += 1) await conversationFor(own, { firstName: `Pager${i}`, lastName: 'Match' });
    await conversationFor(own, { firstName: 'Other', lastName: 'Person' });
    const first = await search(own, { query: 'match', limit: 3 });
    expect(first.body.total).toBe(7);
    expect(first.body.conversations).toHaveLength(3);
    const short = await search(own, { query: 'r0', limit: 3 });
    expect(short.body.total).toBe(1);
  });
});
