// The statements one inbound SMS runs, in one place: all of them in one unit of work (one commit), the message, the
// conversation's summary and the event recorded together. Set SHOW_STATEMENTS=1 to print them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { inbound } from '../helpers/messages.js';

describe.each(ENGINES)('one inbound SMS on %s', (engine) => {
  let harness: Harness;
  let recording = false;
  const statements: string[] = [];

  beforeAll(async () => {
    harness = await startHarness(engine, {
      // The request journal writes its own batch after the answer (src/journal): not the inbound SMS's statements.
      env: { WORKER_ENABLED: 'false', JOURNAL: 'off' },
      storeOptions: {
        onStatement: (sql) => {
          if (recording) statements.push(sql.replace(/\s+/g, ' ').trim());
        },
      },
    });
  });
  afterAll(() => harness?.close());

  it('runs in one transaction: the message, the summary and its events written together', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location);
    // The contact's first message opens the conversation; the one measured is the usual case, a reply.
    expect((await inbound(location, { type: 'SMS', contactId: contact.id, message: 'first' })).status).toBe(200);
    recording = true;
    const answer = await inbound(location, { type: 'SMS', contactId: contact.id, message: 'measured' });
    recording = false;
    expect(answer.status).toBe(200);
    if (process.env.SHOW_STATEMENTS)
      console.log(`${engine}:\n${statements.map((s, i) => `${i + 1}. ${s}`).join('\n')}`);

    const lower = statements.map((s) => s.toLowerCase());
    expect(lower.filter((s) => s === 'commit')).toHaveLength(1);
    expect(lower.filter((s) => s.startsWith('insert into "messages"'))).toHaveLength(1);
    expect(lower.filter((s) => s.startsWith('insert into "domain_events"'))).toHaveLength(1);
    expect(lower.filter((s) => s.startsWith('update "conversations"')).length).toBeGreaterThan(0);
    // Everything between the unit's start and its commit: nothing of the request runs outside it but the reads
    // of authentication (cached) and the answer.
    const begin = lower.findIndex((s) => s === 'begin' || s.startsWith('begin'));
    const commit = lower.indexOf('commit');
    const outside = lower.filter((s, i) => (i < begin || i > commit) && !s.startsWith('select'));
    expect(outside).toEqual([]);
  });
});
