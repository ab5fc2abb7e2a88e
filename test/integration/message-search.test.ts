// Full-text message search: every message (not only the last) is found, English and Spanish alike with accents
// folded, words as prefixes, newest first with highlights, filters, keyset paging with exact totals, the index kept
// as messages change, and bad queries refused.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchMessages } from '../../src/store/repositories/message-search.js';
import { TestClock } from '../helpers/clock.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { inbound, send, uniquePhone } from '../helpers/messages.js';

const MINUTE = 60_000;

interface Found {
  id: string;
  body: string;
  conversationId: string;
  highlight: string;
  dateAdded: string;
}

describe.each(ENGINES)('message search on %s', (engine) => {
  const clock = new TestClock();
  let harness: Harness;
  let location: TestLocation;
  let conversationId: string;
  let contactId: string;
  const ids: Record<string, string> = {};

  async function search(query: Record<string, string | number>, at = location) {
    const response = await at.api.get('extensions:search-messages', '/conversations/messages/search', {
      query: { locationId: at.locationId, ...query },
    });
    return response as { status: number; body: { messages: Found[]; nextCursor: string | null; total: number } };
  }

  async function found(query: Record<string, string | number>) {
    const response = await search(query);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.messages.map((m) => m.body);
  }

  async function received(message: string, to = conversationId) {
    clock.advance(MINUTE);
    const response = await inbound(location, { type: 'SMS', conversationId: to, message });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.messageId as string;
  }

  /** An SMS to the contact, scheduled an hour from the test clock's now. */
  function scheduleInAnHour(message: string) {
    return send(location, {
      type: 'SMS',
      contactId,
      message,
      scheduledTimestamp: Math.floor((clock.now() + 60 * MINUTE) / 1000),
    });
  }

  beforeAll(async () => {
    harness = await startHarness(engine, { clock, env: { WORKER_ENABLED: 'false' } });
    location = await createLocation(harness);
    const contact = await createContact(location, { phone: uniquePhone() });
    contactId = contact.id;
    const opened = await send(location, { type: 'SMS', contactId, message: 'Hi Ana, this is Bright Dental.' });
    conversationId = opened.body.conversationId;
    ids.address = await received('My new address is 12 Elm Street, apartment 4');
    ids.spanish = await received('Mi dirección nueva es Calle Olmo 12. ¿Llegó la factura?');
    ids.later = await received('Thanks! See you on Tuesday.');
    ids.addresses = await received('Both addresses work for deliveries');
  });
  afterAll(() => harness?.close());

  it('finds a message that is not the last one, with its highlight', async () => {
    const response = await search({ q: 'elm street' });
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(1);
    expect(response.body.nextCursor).toBeNull();
    const [message] = response.body.messages;
    expect(message).toMatchObject({ id: ids.address, conversationId, messageType: 'TYPE_SMS', direction: 'inbound' });
    expect(message?.highlight).toBe('My new address is 12 <mark>Elm</mark> <mark>Street</mark>, apartment 4');
  });

  it('folds case and accents both ways, and matches words as prefixes', async () => {
    expect(await found({ q: 'DIRECCION' })).toEqual([expect.stringContaining('Mi dirección')]);
    expect(await found({ q: 'llego factura' })).toEqual([expect.stringContaining('Mi dirección')]);
    expect(await found({ q: 'Dirección' })).toHaveLength(1);
    expect((await search({ q: 'direccion' })).body.messages[0]?.highlight).toContain('<mark>dirección</mark>');
    // "address" is the start of "addresses": newest first.
    expect(await found({ q: 'address' })).toEqual([
      'Both addresses work for deliveries',
      'My new address is 12 Elm Street, apartment 4',
    ]);
    expect(await found({ q: 'address apartment' })).toEqual(['My new address is 12 Elm Street, apartment 4']);
    expect(await found({ q: 'zebra' })).toEqual([]);
  });

  it('escapes the text around the marks', async () => {
    await received('Use <b>code</b> SAVE & smile');
    expect((await search({ q: 'save' })).body.messages[0]?.highlight).toBe(
      'Use &lt;b&gt;code&lt;/b&gt; <mark>SAVE</mark> &amp; smile',
    );
  });

  it('narrows by conversation, contact and channel, and keeps other locations out', async () => {
    const other = await createContact(location, { phone: uniquePhone() });
    const second = await send(location, { type: 'SMS', contactId: other.id, message: 'A different address entirely' });
    expect((await search({ q: 'address' })).body.total).toBe(3);
    expect((await search({ q: 'address', conversationId })).body.total).toBe(2);
    expect((await search({ q: 'address', contactId: other.id })).body.messages.map((m) => m.id)).toEqual([
      second.body.messageId,
    ]);
    expect((await search({ q: 'address', channel: 'Email' })).body.total).toBe(0);
    expect((await search({ q: 'address', channel: 'SMS' })).body.total).toBe(3);
    const stranger = await createLocation(harness);
    expect((await search({ q: 'address' }, stranger)).body.total).toBe(0);
  });

  it('pages newest first with a cursor, the total the same on every page', async () => {
    const pageConversation = (await send(location, { type: 'SMS', contactId, message: 'page 0 parcel' })).body
      .conversationId as string;
    for (let i = 1; i < 7; i += 1) await received(`page ${i} parcel`, pageConversation);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await search({ q: 'parcel', limit: 3, ...(cursor ? { cursor } : {}) });
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      expect(page.body.total).toBe(7);
      seen.push(...page.body.messages.map((m) => m.body));
      if (!page.body.nextCursor) break;
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `page ${i} parcel`));
    // A cursor is only good for the query it was issued for.
    const first = await search({ q: 'parcel', limit: 3 });
    const misused = await search({ q: 'address', cursor: first.body.nextCursor ?? '' });
    expect(misused.status).toBe(422);
  });

  it('keeps the index in step: a scheduled message is found once sent, an edited thread by its new text', async () => {
    const scheduled = await scheduleInAnHour('Reminder: your appointment tomorrow');
    expect(scheduled.status).toBe(200);
    expect((await search({ q: 'reminder' })).body.total).toBe(0);
    clock.advance(61 * MINUTE);
    await harness.server.services.jobs.runDue();
    expect((await search({ q: 'reminder' })).body.messages.map((m) => m.id)).toEqual([scheduled.body.messageId]);

    const emailContact = await createContact(location, { email: `search-${Date.now()}@example.com` });
    const first = await send(location, {
      type: 'Email',
      contactId: emailContact.id,
      html: '<p>Your invoice is attached</p>',
      subject: 'Invoice',
    });
    expect((await search({ q: 'invoice attached' })).body.total).toBe(1);
    const reply = await inbound(location, {
      type: 'Email',
      contactId: emailContact.id,
      html: '<p>Gracias, recibido</p>',
      emailMessageId: first.body.emailMessageId,
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect((await search({ q: 'recibido' })).body.messages.map((m) => m.id)).toEqual([first.body.messageId]);
  });

  it('finds every email of a thread by its subject and text, never by its markup, highlighted in that email', async () => {
    const emailContact = await createContact(location, { email: `thread-${Date.now()}@example.com` });
    clock.advance(MINUTE);
    const first = await send(location, {
      type: 'Email',
      contactId: emailContact.id,
      html: '<p style="color: teal">Your quote for the <b>kitchen</b> remodel</p>',
      subject: 'Presupuesto cocina',
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    for (const html of ['<p>Could we move the start to March?</p>', '<div>Works for us, see you then</div>']) {
      clock.advance(MINUTE);
      const reply = await inbound(location, {
        type: 'Email',
        contactId: emailContact.id,
        html,
        emailMessageId: first.body.emailMessageId,
      });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    }
    const thread = first.body.messageId as string;
    const matches = async (q: string) => {
      const response = await search({ q });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body;
    };
    // The first and second emails are older than the thread's latest, whose text is the message's body.
    for (const q of ['kitchen remodel', 'presupuesto', 'march', 'works see']) {
      const body = await matches(q);
      expect(
        body.messages.map((m) => m.id),
        q,
      ).toEqual([thread]);
      expect(body.total, q).toBe(1);
    }
    expect((await matches('kitchen remodel')).messages[0]?.highlight).toBe(
      'Presupuesto cocina — Your quote for the <mark>kitchen</mark> <mark>remodel</mark>',
    );
    expect((await matches('march')).messages[0]?.highlight).toBe('Could we move the start to <mark>March</mark>?');
    // Markup and style are no text; the words of one email are not matched with another's.
    for (const q of ['teal', 'style', 'div', 'kitchen march']) expect((await matches(q)).total, q).toBe(0);
    expect((await search({ q: 'presupuesto', channel: 'Email' })).body.total).toBe(1);
    expect((await search({ q: 'presupuesto', channel: 'SMS' })).body.total).toBe(0);
  });

  it('walks the location newest first (many matches) with the same answers as looking the matches up', async () => {
    // Not yet sent: in the index, but neither path may show it; the walk reads past it.
    const pending = await scheduleInAnHour('Parcel reminder, not sent yet');
    expect(pending.status).toBe(200);
    const db = harness.server.store.db;
    for (const words of [['parcel'], ['reminder'], ['recibido'], ['march'], ['address']]) {
      const looked = await searchMessages(db, { locationId: location.locationId, words, limit: 100 });
      expect(looked.rows.map((row) => row.id)).not.toContain(pending.body.messageId);
      const pages: string[] = [];
      let before: { at: number; seq: number } | undefined;
      for (let page = 0; page < 20; page += 1) {
        const walked = await searchMessages(db, {
          locationId: location.locationId,
          words,
          limit: 2,
          fewMatches: 0,
          ...(before ? { before } : {}),
        });
        expect(walked.total, words.join(' ')).toBe(looked.total);
        pages.push(...walked.rows.map((row) => row.id));
        const last = walked.rows.at(-1);
        if (!walked.more || !last) break;
        before = { at: last.date_added, seq: last.seq };
      }
      expect(pages, words.join(' ')).toEqual(looked.rows.map((row) => row.id));
    }
    if (engine === 'sqlite') {
      // Each email's thread, as the walk reads it (migration 0036), goes with the email.
      const { rows: threads } = await sql<{ conversation_id: string }>`select m.conversation_id from emails e
        join messages m on m.id = e.message_id where m.location_id = ${location.locationId} limit 1`.execute(db);
      const emailConversation = threads[0]?.conversation_id ?? '';
      const deleted = await location.api.delete(
        'conversations:delete-conversation',
        `/conversations/${emailConversation}`,
      );
      expect(deleted.status).toBe(200);
      const { rows } = await sql<{ n: number }>`select count(*) as n from email_threads t
        where not exists (select 1 from emails e where e.rowid = t.email_rowid)`.execute(db);
      expect(rows[0]?.n).toBe(0);
      const { rows: kept } = await sql<{ n: number }>`select count(*) as n from emails e
        where not exists (select 1 from email_threads t where t.email_rowid = e.rowid)`.execute(db);
      expect(kept[0]?.n).toBe(0);
    }
  });

  it('refuses a query without words, too many words, and a forged cursor', async () => {
    for (const q of ['', '!!! ...']) expect((await search({ q })).status).toBe(422);
    const many = Array.from({ length: 17 }, (_, i) => `w${i}`).join(' ');
    expect((await search({ q: many })).status).toBe(422);
    expect((await search({ q: 'address', cursor: 'abc.def' })).status).toBe(422);
    expect((await search({ q: 'address', limit: 0 })).status).toBe(422);
    expect((await search({ q: 'address', channel: 'Fax' })).status).toBe(422);
  });
});
