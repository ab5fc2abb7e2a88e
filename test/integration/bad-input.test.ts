// Bad input never yields a 500: every location route, fed wrong types, broken JSON, odd bodies, unknown enum
// values, huge and negative numbers, malformed ids and unicode everywhere, answers 4xx in the error envelope
// ({statusCode, message, error, traceId}; 422 with a message array for validation failures) or succeeds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestSchemas, type SpecName } from '../../src/http/openapi.js';
import { allRoutes } from '../../src/routes/index.js';
import { ENGINES } from '../helpers/engines.js';
import { createContact, createConversation, createLocation, type TestLocation } from '../helpers/factories.js';
import { type Client, type Harness, type RequestOptions, type Response, startHarness } from '../helpers/harness.js';
import { LOCATION_ROUTES, type LocationRoute, pathOf } from '../helpers/routes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UNICODE = 'Zoë Ñandú 😀 ☃ 中文 עברית \u202e\u200b';

/** Values of the wrong type, shape or size for any body field. */
const BODY_VALUES: unknown[] = [
  123,
  -1,
  1.5,
  1e308,
  -1e308,
  true,
  null,
  {},
  [],
  [1, 'two', null],
  [{}],
  { $gt: '' },
  '',
  '   ',
  'x'.repeat(20_000),
  UNICODE,
  '\u0000',
  'a\u0000b',
  '\ud800',
];

/** Values for any query parameter. */
const QUERY_VALUES: (string | string[])[] = [
  'abc',
  '-1',
  '0',
  '1.5',
  '1e400',
  'Infinity',
  '-Infinity',
  'NaN',
  '99999999999999999999999',
  '',
  ' ',
  'x'.repeat(4000),
  UNICODE,
  '\u0000',
  '%',
  '_',
  '"',
  "' OR 1=1 --",
  ['a', 'b'],
  ['1', '2', '3'],
];

/** Path ids: too long, unicode, traversal, control characters, malformed escapes, injection. */
const PATH_IDS = [
  'x'.repeat(199),
  'x'.repeat(5000),
  encodeURIComponent(UNICODE),
  '..%2F..',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '%00',
  'a%00b',
  '%E0%A4%A',
  '%',
  encodeURIComponent("' OR 1=1 --"),
  encodeURIComponent('<script>alert(1)</script>'),
  '%20',
];

interface Case {
  label: string;
  path: string;
  options: RequestOptions;
}

interface Failure {
  label: string;
  status: number;
  body: unknown;
}

function envelopeProblems(response: Response): string | null {
  if (response.status >= 500) return 'server error';
  if (!UUID.test(response.headers.get('x-trace-id') ?? '')) return 'no x-trace-id';
  if (response.status < 400) return null;
  const body = response.body as Record<string, unknown>;
  if (body === null || typeof body !== 'object') return 'error body is not an object';
  if (body.statusCode !== response.status) return 'statusCode differs from the status';
  if (typeof body.error !== 'string') return 'no error';
  if (typeof body.traceId !== 'string' || !UUID.test(body.traceId)) return 'no traceId';
  const message = body.message;
  const isList = Array.isArray(message) && message.length > 0 && message.every((m) => typeof m === 'string');
  if (response.status === 422 ? !isList : typeof message !== 'string' && !isList) return 'bad message';
  return null;
}

function specOf(route: LocationRoute) {
  const [spec, operationId] = route.operation.split(':') as [SpecName, string];
  return requestSchemas(spec, operationId);
}

describe.each(ENGINES)('bad input on %s', (engine) => {
  let harness: Harness;
  let location: TestLocation;

  beforeAll(async () => {
    harness = await startHarness(engine);
    location = await createLocation(harness);
  });
  afterAll(() => harness?.close());

  /** Sends each request and lists every answer that is a 500 or is outside the error envelope. */
  async function probe(
    route: Pick<LocationRoute, 'method'>,
    cases: Case[],
    expected?: number,
    client: Client = location.api,
  ): Promise<Failure[]> {
    const failures: Failure[] = [];
    for (const { label, path, options } of cases) {
      const response = await client.request(route.method, null, path, { ...options, raw: true });
      const problem = envelopeProblems(response);
      if (problem || (expected !== undefined && response.status !== expected)) {
        const body = JSON.stringify(response.body).slice(0, 300);
        failures.push({
          label: `${route.method} ${path.slice(0, 80)} ${label}: ${problem ?? 'status'}`,
          status: response.status,
          body,
        });
      }
    }
    return failures;
  }

  const bodyRoutes = LOCATION_ROUTES.filter((route) => ['POST', 'PUT', 'PATCH'].includes(route.method));
  const queryRoutes = LOCATION_ROUTES.filter((route) => specOf(route).querystring);
  const idRoutes = LOCATION_ROUTES.filter((route) => route.url.includes(':'));

  describe.each(bodyRoutes)('$method $url body', (route) => {
    it('answers 400 for malformed JSON, 422 for an empty JSON body, 4xx for a foreign content type', async () => {
      const request = await route.build(location);
      const path = pathOf(route.url, request.params);
      const broken = ['{"locationId":', '{', "{'a':1}", '{"a":1,}', 'undefined', '\u0000'];
      const failures = await probe(
        route,
        [
          ...broken.map((body) => ({ label: `body ${JSON.stringify(body)}`, path, options: { body } })),
          { label: '__proto__', path, options: { body: `{"__proto__":{"polluted":true},"a":1}` } },
          { label: 'constructor', path, options: { body: `{"constructor":{"prototype":{"polluted":true}}}` } },
        ],
        400,
      );
      // The official SDK sends a JSON content type even without a body: an empty one is no body, not bad JSON,
      // and a route that needs a body says so with a 422.
      const empty = { body: '', headers: { 'content-type': 'application/json' } };
      const missing = await probe(route, [{ label: 'empty json', path, options: empty }], 422);
      const typed = await probe(route, [
        { label: 'text/plain', path, options: { body: 'hello', headers: { 'content-type': 'text/plain' } } },
        {
          label: 'form',
          path,
          options: { body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        },
        { label: 'no content type', path, options: { body: '{}', headers: { 'content-type': '' } } },
      ]);
      expect([...failures, ...missing, ...typed]).toEqual([]);
    });

    it('answers 422 with a message array for a body that is not an object', async () => {
      const request = await route.build(location);
      const path = pathOf(route.url, request.params);
      const bodies = ['[]', '[{}]', JSON.stringify([request.body]), 'null', '"text"', '42', 'true'];
      const failures = await probe(
        route,
        bodies.map((body) => ({ label: `body ${body.slice(0, 40)}`, path, options: { body } })),
        422,
      );
      expect(failures).toEqual([]);
    });

    it('never fails on a wrong value in any field', async () => {
      const request = await route.build(location);
      const path = pathOf(route.url, request.params);
      const declared = Object.keys((specOf(route).body?.properties as object | undefined) ?? {});
      const fields = [...new Set([...Object.keys(request.body ?? {}), ...declared, 'unknownField'])];
      const cases = fields.flatMap((field) => [
        ...BODY_VALUES.map((value) => ({
          label: `${field}=${JSON.stringify(value)?.slice(0, 30)}`,
          path,
          options: { body: { ...request.body, [field]: value } },
        })),
        {
          label: `${field}=1e400`,
          path,
          options: { body: JSON.stringify({ ...request.body, [field]: '__huge__' }).replace('"__huge__"', '1e400') },
        },
      ]);
      expect(await probe(route, cases)).toEqual([]);
    });

    it('never fails on deeply nested or wide bodies', async () => {
      const request = await route.build(location);
      const path = pathOf(route.url, request.params);
      const fields = JSON.stringify(request.body ?? {}).slice(1, -1);
      const deep = (depth: number) =>
        `{${fields}${fields ? ',' : ''}"nested":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const wide = { ...request.body, ...Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i])) };
      const cases = [
        { label: 'depth 1000', path, options: { body: deep(1000) } },
        { label: 'depth 100000', path, options: { body: deep(100_000) } },
        { label: '5000 keys', path, options: { body: wide } },
        { label: 'tags x 10000', path, options: { body: { ...request.body, tags: Array(10_000).fill('t') } } },
      ];
      expect(await probe(route, cases)).toEqual([]);
    });

    it('answers 413 for a body over the limit', async () => {
      const request = await route.build(location);
      const path = pathOf(route.url, request.params);
      const body = { ...request.body, firstName: 'x'.repeat(2 * 1024 * 1024) };
      expect(await probe(route, [{ label: '2 MB', path, options: { body } }], 413)).toEqual([]);
    });
  });

  describe.each(queryRoutes)('$method $url query', (route) => {
    it('never fails on a wrong value in any query parameter', async () => {
      const request = await route.build(location);
      const path = pathOf(route.url, request.params);
      const declared = Object.keys((specOf(route).querystring?.properties as object | undefined) ?? {});
      const cases = [...declared, 'startAfterDate[]', 'unknown'].flatMap((name) =>
        QUERY_VALUES.map((value) => ({
          label: `${name}=${JSON.stringify(value).slice(0, 30)}`,
          path,
          options: { query: { ...request.query, [name]: value } },
        })),
      );
      expect(await probe(route, cases)).toEqual([]);
    });
  });

  describe.each(idRoutes)('$method $url id', (route) => {
    it('answers 4xx for a malformed id', async () => {
      const request = await route.build(location);
      const cases = Object.keys(request.params ?? {}).flatMap((name) =>
        PATH_IDS.map((id) => ({
          label: `${name}=${id.slice(0, 30)}`,
          path: pathOf(route.url, { ...request.params, [name]: id }, true),
          options: { query: request.query, body: request.body },
        })),
      );
      const failures = await probe(route, cases);
      expect(failures).toEqual([]);
    });
  });

  it('never fails on bad input to the admin API', async () => {
    // A server of its own: admin routes reset and delete locations, and a path id such as '..' turns a location's
    // reset into the whole instance's. The instance-wide reset itself is left to the sandbox tests.
    const own = await startHarness(engine);
    const scratch = await createLocation(own);
    const conversation = await createConversation(scratch);
    const params: Record<string, string> = {
      locationId: scratch.locationId,
      conversationId: conversation.id,
      tokenId: 'unknownToken',
      appId: 'unknownApp',
      providerId: 'unknownProvider',
      deliveryId: 'unknownDelivery',
      widgetId: 'unknownWidget',
    };
    const failures: Failure[] = [];
    const adminRoutes = allRoutes(own.server.services).filter(
      (r) => r.access.kind === 'admin' && !(r.method === 'POST' && r.url === '/admin/v1/reset'),
    );
    for (const route of adminRoutes) {
      const method = String(route.method) as LocationRoute['method'];
      const names = [...route.url.matchAll(/:(\w+)/g)].map((match) => match[1] as string);
      // Ids the test has no record for (a new admin route's) are unknown ones: the route must still not fail.
      const routeParams = Object.fromEntries(names.map((name) => [name, params[name] ?? `unknown-${name}`]));
      const path = pathOf(route.url, routeParams);
      const cases: Case[] = names.flatMap((name) =>
        PATH_IDS.map((id) => ({
          label: `${name}=${id.slice(0, 30)}`,
          path: pathOf(route.url, { ...routeParams, [name]: id }, true),
          options: {},
        })),
      );
      if (['POST', 'PATCH', 'PUT'].includes(method)) {
        const body = (route.schema?.body ?? {}) as { properties?: Record<string, unknown> };
        const fields = [...Object.keys(body.properties ?? {}), 'unknownField'];
        cases.push(
          ...['{"name":', '', '[]', 'null', '"text"'].map((raw) => ({
            label: `body ${raw}`,
            path,
            options: { body: raw, headers: { 'content-type': 'application/json' } },
          })),
          ...fields.flatMap((field) =>
            BODY_VALUES.map((value) => ({
              label: `${field}=${JSON.stringify(value)?.slice(0, 30)}`,
              path,
              options: { body: { name: 'Fuzz', [field]: value } },
            })),
          ),
        );
      }
      failures.push(...(await probe({ method }, cases, undefined, own.admin)));
    }
    await own.close();
    expect(failures).toEqual([]);
  }, 120_000);

  it('answers 422 naming the allowed values for an unknown enum value', async () => {
    const search = await location.api.get('conversations:search-conversation', '/conversations/search', {
      query: { locationId: location.locationId, status: 'sideways', sort: 'up', lastMessageType: 'TYPE_PIGEON' },
    });
    expect(search.status).toBe(422);
    expect(search.body.message).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^status must be one of the following values: all, read/),
        expect.stringMatching(/^sort must be one of the following values: asc, desc/),
        expect.stringMatching(/^lastMessageType must be one of the following values: TYPE_CALL/),
      ]),
    );
    const conversation = await createConversation(location);
    const update = await location.api.put('conversations:update-conversation', `/conversations/${conversation.id}`, {
      locationId: location.locationId,
      feedback: 'meh',
    });
    expect(update.status).toBe(422);
    expect(update.body.message).toEqual([expect.stringMatching(/^feedback must be one of the following values/)]);
    const contact = await location.api.post('contacts:create-contact', '/contacts/', {
      locationId: location.locationId,
      firstName: 'Enum',
      dndSettings: { Call: { status: 'sometimes' } },
    });
    expect(contact.status).toBe(422);
    expect(contact.body.message).toEqual([expect.stringMatching(/^dndSettings\.Call\.status must be one of/)]);
  });

  it('answers 422 for huge, negative and fractional numbers', async () => {
    const conversation = await createConversation(location);
    for (const unreadCount of [-1, 1e308, 1.5, 'many']) {
      const update = await location.api.put('conversations:update-conversation', `/conversations/${conversation.id}`, {
        locationId: location.locationId,
        unreadCount,
      });
      expect(update.status, String(unreadCount)).toBe(422);
      expect(update.body.message[0]).toMatch(/^unreadCount must/);
    }
    for (const query of [
      { limit: '0' },
      { limit: '-5' },
      { limit: '100000' },
      { limit: '1e400' },
      { limit: 'ten' },
      { startDate: '-1' },
      { endDate: '1e400' },
      { startDate: 'Infinity' },
      { scoreProfile: 'p', scoreProfileMin: 'Infinity' },
    ]) {
      const search = await location.api.get('conversations:search-conversation', '/conversations/search', {
        query: { locationId: location.locationId, ...query },
      });
      expect(search.status, JSON.stringify(query)).toBe(422);
      expect(Array.isArray(search.body.message)).toBe(true);
    }
  });

  it('answers 422 for a NUL character, which PostgreSQL text cannot hold, on every engine alike', async () => {
    const contact = await location.api.post('contacts:create-contact', '/contacts/', {
      locationId: location.locationId,
      firstName: 'a\u0000b',
    });
    expect(contact.status).toBe(422);
    expect(contact.body.message).toEqual(['firstName must not contain NUL characters']);
    const read = await location.api.get('contacts:get-contact', '/contacts/a%00b');
    expect(read.status).toBe(422);
    const search = await location.api.get('conversations:search-conversation', '/conversations/search', {
      query: { locationId: location.locationId, query: 'x\u0000' },
    });
    expect(search.status).toBe(422);
    expect(search.body.message).toEqual(['query must not contain NUL characters']);
  });

  it('takes unicode everywhere: names, emails, tags, search and ids', async () => {
    const name = `Zoë Ñandú-${Date.now()} 中文`;
    const contact = await createContact(location, {
      firstName: undefined,
      lastName: undefined,
      name,
      email: `zoë.${Date.now()}@exämple.com`,
      tags: ['😀', 'ünï'],
      city: 'Zürich',
      companyName: 'Ωmega',
    });
    const read = await location.api.get('contacts:get-contact', `/contacts/${contact.id}`);
    expect(read.body.contact).toMatchObject({ name, firstName: 'Zoë', tags: ['😀', 'ünï'], city: 'Zürich' });
    const conversation = await createConversation(location, contact.id);
    for (const query of ['ñandú', 'zoë', '中文', 'Ωmega']) {
      const found = await location.api.get('conversations:search-conversation', '/conversations/search', {
        query: { locationId: location.locationId, query },
      });
      expect(found.status).toBe(200);
      expect(
        found.body.conversations.map((c: { id: string }) => c.id),
        query,
      ).toContain(conversation.id);
    }
    const missing = await location.api.get('contacts:get-contact', `/contacts/${encodeURIComponent('ñandú😀')}`);
    expect(missing.status).toBe(404);
  });
});
