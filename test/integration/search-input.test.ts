// GET /conversations/search never answers 500 to bad input: wrong types, unknown enum values, huge numbers,
// malformed cursors, NUL bytes, broken percent-encoding and very long strings get a 4xx or a plain answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createLocation, type TestLocation } from '../helpers/factories.js';
import type { Harness } from '../helpers/harness.js';
import { startHarness } from '../helpers/harness.js';
import { adminPatch, createConversations, search } from '../helpers/search-support.js';

type Query = Record<string, string | string[]>;

const HUGE = '9'.repeat(400);

/** Query → the status it must get. */
const REFUSED: [string, Query][] = [
  ['limit not a number', { limit: 'abc' }],
  ['limit fractional', { limit: '1.5' }],
  ['limit over the max', { limit: '101' }],
  ['limit huge', { limit: HUGE }],
  ['limit zero', { limit: '0' }],
  ['limit negative', { limit: '-3' }],
  ['limit twice', { limit: ['1', '2'] }],
  ['sort unknown', { sort: 'sideways' }],
  ['sort twice', { sort: ['asc', 'desc'] }],
  ['sortBy unknown', { sortBy: 'name' }],
  ['status unknown', { status: 'archived' }],
  ['lastMessageType unknown', { lastMessageType: 'TYPE_PIGEON' }],
  ['lastMessageAction unknown', { lastMessageAction: 'robotic' }],
  ['lastMessageDirection unknown', { lastMessageDirection: 'sideways' }],
  ['startDate not a number', { startDate: 'yesterday' }],
  ['startDate negative', { startDate: '-1' }],
  ['startDate fractional', { startDate: '1.5' }],
  ['startDate beyond bigint', { startDate: '99999999999999999999' }],
  ['endDate huge', { endDate: HUGE }],
  ['endDate beyond safe integers', { endDate: '1e20' }],
  ['scoreProfileMin not a number', { scoreProfile: 'p', scoreProfileMin: 'high' }],
  ['scoreProfileMax NaN', { scoreProfile: 'p', scoreProfileMax: 'NaN' }],
  ['scoreProfileMax infinite', { scoreProfile: 'p', scoreProfileMax: 'Infinity' }],
  ['scoreProfileMin beyond doubles', { scoreProfile: 'p', scoreProfileMin: '-1e309' }],
  ['score bounds without a profile', { scoreProfileMax: '3' }],
  ['score sort without a profile', { sortBy: 'score_profile' }],
  ['cursor not a number', { startAfterDate: 'abc' }],
  ['cursor three numbers', { startAfterDate: '1,2,3' }],
  ['cursor three repeated keys', { startAfterDate: ['1', '2', '3'] }],
  ['cursor three axios keys', { 'startAfterDate[]': ['1', '2', '3'] }],
  ['cursor half a number', { startAfterDate: '1,abc' }],
  ['cursor only commas', { startAfterDate: ',' }],
  ['cursor JSON', { startAfterDate: '[1,2]' }],
  ['cursor fractional tiebreak', { startAfterDate: '1000,1.5' }],
  ['cursor fractional date', { startAfterDate: '1000.5,3' }],
  ['cursor date beyond bigint', { startAfterDate: '99999999999999999999,1' }],
  ['cursor infinite', { startAfterDate: HUGE }],
  ['cursor infinite score', { sortBy: 'score_profile', sortScoreProfile: 'p', startAfterDate: `${HUGE},1` }],
  ['cursor tiebreak beyond bigint', { startAfterDate: '1000,99999999999999999999' }],
  ['query twice', { query: ['a', 'b'] }],
  ['query with NUL', { query: 'ali\u0000ce' }],
  ['contactId with NUL', { contactId: '\u0000' }],
  ['id with NUL', { id: 'abc\u0000' }],
  ['assignedTo with NUL', { assignedTo: 'u1,\u0000' }],
  ['followers with NUL', { followers: '\u0000' }],
  ['scoreProfile with NUL', { scoreProfile: '\u0000' }],
  ['locationId twice', { locationId: ['x', 'y'] }],
];

/** Odd but meaningful: answered 200. */
const ACCEPTED: [string, Query][] = [
  ['cursor empty', { startAfterDate: '' }],
  ['cursor negative', { startAfterDate: '-5' }],
  ['cursor in exponent notation', { startAfterDate: '1e3,7' }],
  ['score cursor tiny', { sortBy: 'score_profile', sortScoreProfile: 'p', startAfterDate: '1e-7,5' }],
  ['score cursor huge', { sortBy: 'score_profile', sortScoreProfile: 'p', startAfterDate: '1e300,5' }],
  ['score bounds huge', { scoreProfile: 'p', scoreProfileMin: '-1e300', scoreProfileMax: '1e300' }],
  ['score bounds crossed', { scoreProfile: 'p', scoreProfileMin: '10', scoreProfileMax: '1' }],
  ['dates crossed', { startDate: '2000', endDate: '1000' }],
  ['dates at the largest safe integer', { startDate: String(Number.MAX_SAFE_INTEGER) }],
  ['query of 10,000 characters', { query: 'x'.repeat(10_000) }],
  ['query of 1,000 emoji', { query: '🚀'.repeat(1000) }],
  ['query of wildcards only', { query: '%_'.repeat(500) }],
  ['query of FTS syntax', { query: 'NEAR("a" b) OR c* AND -d ^e' }],
  ['query of whitespace', { query: '   ' }],
  ['assignedTo of commas', { assignedTo: ','.repeat(2000) }],
  ['assignedTo of 1,500 users', { assignedTo: Array.from({ length: 1500 }, (_, i) => `u${i}`).join(',') }],
  ['followers of 1,500 users', { followers: Array.from({ length: 1500 }, (_, i) => `f${i}`).join(',') }],
  ['unknown parameters', { colour: 'blue', 'startAfterDate[x]': '1', 'limit[]': '5' }],
  ['every filter at once', { contactId: 'c', id: 'i', assignedTo: 'a', followers: 'f', mentions: 'm', query: 'q' }],
];

describe.each(ENGINES)('conversation search input on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;

  beforeAll(async () => {
    harness = await startHarness(engine);
    location = await createLocation(harness);
    const [scored] = await createConversations(location, 3);
    await adminPatch(harness, location, scored as string, { scores: { p: 5 } });
  });
  afterAll(() => harness?.close());

  it.each(REFUSED)('refuses %s with 422', async (_name, query) => {
    const response = await search(location, query);
    expect(response.status, JSON.stringify(response.body)).toBe(422);
    const { message } = response.body as unknown as { message: unknown };
    expect(Array.isArray(message) || typeof message === 'string').toBe(true);
  });

  it.each(ACCEPTED)('answers %s with 200', async (_name, query) => {
    const response = await search(location, query);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.total).toBeGreaterThanOrEqual(0);
  });

  it('survives broken percent-encoding and lone surrogates in the raw query string', async () => {
    const base = `/conversations/search?locationId=${location.locationId}`;
    for (const raw of [
      'query=%E0%A4%A',
      'query=%ED%A0%80',
      'query=%',
      'query=%%%',
      'startAfterDate=%FF',
      'limit=%31%30',
    ]) {
      const response = await location.api.get('conversations:search-conversation', `${base}&${raw}`);
      expect(response.status, raw).toBeLessThan(500);
    }
  });

  it('refuses a missing, empty or foreign locationId', async () => {
    const missing = await location.api.get('conversations:search-conversation', '/conversations/search');
    expect(missing.status).toBe(422);
    const empty = await search(location, { locationId: '' });
    expect(empty.status).toBe(422);
    expect((empty.body as unknown as { message: string[] }).message).toEqual(['locationId should not be empty']);
    const other = await createLocation(harness);
    const foreign = await search(location, { locationId: other.locationId });
    expect(foreign.status).toBe(403);
  });
});
