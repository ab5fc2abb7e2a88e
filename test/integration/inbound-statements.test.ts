// The statements one inbound SMS runs, in one place: all of them in one unit of work (one commit), the message, the
// conversation's summary and the event recorded together. Set SHOW_STATEMENTS=1 to print them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { loggedEvents } from '../helpers/event-log.js';
import { createContact, createLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { inbound } from '../helpers/messages.js';

describe.each(ENGINES)('one inbound SMS on %s', (engine) => {
  let harness: Harness;
  let recording = false;
  let seen = 0;
  const statements: string[] = [];

  /** Resolves once the server has run no statement for 250 ms. */
  async function quiet(): Promise<void> {
    for (let last = -1; last !== seen; ) {
      last = seen;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  beforeAll(async () => {
    harness = await startHarness(engine, {
      // The request journal writes its own batch after the answer (src/journal): not the inbound SMS's statements.
      env: { WORKER_ENABLED: 'false', JOURNAL: 'off' },
      storeOptions: {
        onStatement: (sql) => {
          seen += 1;
          if (recording) statements.push(sql.replace(/\s+/g, ' ').trim());
        },
      },
    });
  });
  afterAll(() => harness?.close());

  it('runs in one unit of work: the message, the summary and its events written together', async () => {
    const location = await createLocation(harness);
    const contact = await createContact(location);
    // The contact's first message opens the conversation; the one measured is the usual case, a reply.
    expect((await inbound(location, { type: 'SMS', contactId: contact.id, message: 'first' })).status).toBe(200);
    // PostgreSQL numbers the first message's events just after its commit, on another connection: let that finish
    // (every event numbered, then no statement for a while) before measuring.
    await loggedEvents(harness, location.locationId);
    await quiet();
    recording = true;
    const answer = await inbound(location, { type: 'SMS', contactId: contact.id, message: 'measured' });
    recording = false;
    expect(answer.status).toBe(200);
    if (process.env.SHOW_STATEMENTS)
      console.log(`${engine}:\n${statements.map((s, i) => `${i + 1}. ${s}`).join('\n')}`);

    const lower = statements.map((s) => s.toLowerCase());
    // The unit: from its begin to the first commit after it.
    const begin = lower.findIndex((s) => s.startsWith('begin'));
    const commit = lower.indexOf('commit', begin);
    const unit = lower.slice(begin, commit + 1);
    expect(unit.filter((s) => s === 'commit')).toHaveLength(1);
    expect(unit.filter((s) => s.startsWith('insert into "messages"'))).toHaveLength(1);
    expect(unit.filter((s) => s.startsWith('insert into "domain_events"'))).toHaveLength(1);
    expect(unit.filter((s) => s.startsWith('update "conversations"')).length).toBeGreaterThan(0);
    // Nothing of the request writes outside the unit but, on PostgreSQL, the one statement that numbers the committed
    // events (src/events/numbering.ts; no transaction of its own to begin and commit): the reads of authentication
    // (cached) and the answer are reads.
    const numbering = (s: string) => engine === 'postgres' && s.includes('switchboard_number_events');
    const outside = lower.filter((s, i) => (i < begin || i > commit) && !s.startsWith('select') && !numbering(s));
    expect(outside).toEqual([]);
  });
});
