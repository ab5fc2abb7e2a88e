// Inbound email from strangers (docs/security.md): the SMTP listener's limits (recipients, messages per client per
// minute, optional AUTH), and emails no engine can store or that would load the database (NUL, a Message-ID too long
// to be real, an oversize header block, thousands of References) refused for good or bounded, over SMTP and through
// the operators' parse endpoint alike.
import { randomBytes, randomInt } from 'node:crypto';
import net from 'node:net';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { createLocation, type TestLocation } from '../helpers/factories.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const DOMAIN = 'switchboard.test';

function rfc822(headers: Record<string, string>, body: string): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return [...lines, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n');
}

let sequence = 0;
const messageId = () => `<limits-${process.pid}-${++sequence}@sender.example>`;

async function smtpSend(
  port: number,
  to: string[],
  raw: string,
  auth?: { user: string; pass: string },
): Promise<{ accepted: string[]; rejected: string[] }> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    ...(auth ? { auth } : {}),
  });
  try {
    const info = await transport.sendMail({ envelope: { from: 'someone@sender.example', to }, raw });
    return { accepted: info.accepted as string[], rejected: info.rejected as string[] };
  } finally {
    transport.close();
  }
}

const responseCode = (error: unknown) => (error as { responseCode?: number }).responseCode;

/** `length` random CJK ideographs: three bytes each, and nothing a database's compression shrinks. */
const incompressible = (length: number) =>
  Array.from({ length }, () => String.fromCharCode(0x4e00 + randomInt(0x5000))).join('');

/**
 * Speaks SMTP by hand, as a hostile client does: no SIZE declared, then `bytes` of message. Answers the reply to the
 * final dot and the most memory (array buffers) the process held above where it started, sampled meanwhile.
 */
async function sendOversized(port: number, to: string, bytes: number): Promise<{ reply: string; heldBytes: number }> {
  // Measured from the lowest point seen rather than the start, which may still hold an earlier test's garbage.
  let low = process.memoryUsage().arrayBuffers;
  let peak = low;
  const sampler = setInterval(() => {
    const now = process.memoryUsage().arrayBuffers;
    low = Math.min(low, now);
    peak = Math.max(peak, now);
  }, 5);
  // From an address of its own on the loopback network, so the per-client message rate the other tests spend is not
  // this one's.
  const socket = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' });
  let received = '';
  const replies: ((line: string) => void)[] = [];
  socket.on('data', (chunk) => {
    received += chunk.toString();
    for (let end = received.indexOf('\r\n'); end >= 0; end = received.indexOf('\r\n')) {
      const line = received.slice(0, end);
      received = received.slice(end + 2);
      if (/^\d{3} /.test(line)) replies.shift()?.(line);
    }
  });
  const next = () => new Promise<string>((resolve) => replies.push(resolve));
  const send = async (line: string) => {
    const answer = next();
    socket.write(`${line}\r\n`);
    return answer;
  };
  try {
    await next();
    await send('EHLO client.example');
    await send('MAIL FROM:<someone@sender.example>');
    await send(`RCPT TO:<${to}>`);
    await send('DATA');
    const line = `${'x'.repeat(998)}\r\n`;
    const chunk = Buffer.from(line.repeat(1024));
    socket.write('Subject: big\r\n\r\n');
    for (let sent = 0; sent < bytes; sent += chunk.length) {
      if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve));
    }
    return { reply: await send('.'), heldBytes: peak - low };
  } finally {
    clearInterval(sampler);
    socket.destroy();
  }
}

describe.each(ENGINES)('inbound email limits on %s', (engine) => {
  let harness: Harness;
  let port: number;
  let location: TestLocation;
  /** The statements the server runs while `recording` is set. */
  let recording = false;
  const statements: string[] = [];

  beforeAll(async () => {
    harness = await startHarness(engine, {
      env: {
        WORKER_ENABLED: 'false',
        SMTP_LISTEN_PORT: '0',
        EMAIL_DOMAIN: DOMAIN,
        SMTP_LISTEN_MAX_RECIPIENTS: '2',
        SMTP_LISTEN_MESSAGES_PER_MINUTE: '4',
        SMTP_LISTEN_MAX_BYTES: String(4 * 1024 * 1024),
      },
      storeOptions: {
        onStatement: (sql) => {
          if (recording) statements.push(sql);
        },
      },
    });
    port = harness.server.inboundSmtp?.port as number;
    location = await createLocation(harness);
  });
  afterAll(async () => harness?.close());

  const postRaw = (raw: string) =>
    harness.admin.post(null, `/admin/v1/locations/${location.locationId}/inbound-email`, raw, {
      headers: { 'content-type': 'message/rfc822' },
    });
  const headers = (extra: Record<string, string> = {}) => ({
    From: 'Someone <someone@sender.example>',
    To: `${location.locationId}@${DOMAIN}`,
    Subject: 'Hello',
    'Message-ID': messageId(),
    ...extra,
  });

  it('refuses what no engine can store with a 4xx through the parse endpoint', async () => {
    const cases: [string, string][] = [
      [rfc822(headers({ Subject: 'a\u0000b' }), 'body'), 'subject must not contain NUL'],
      [rfc822(headers(), 'a\u0000b'), 'body must not contain NUL'],
      [rfc822(headers({ 'Message-ID': `<${'m'.repeat(4096)}@sender.example>` }), 'x'), 'Message-ID is longer'],
      [rfc822(headers({ 'X-Filler': 'f'.repeat(1_100_000) }), 'x'), 'header block is too large'],
      [rfc822(headers({ Subject: 'word '.repeat(2_001) }), 'x'), 'subject is longer than 10000'],
      [rfc822(headers({ From: `"${'n'.repeat(10_001)}" <someone@sender.example>` }), 'x'), 'From name is longer'],
      // A sender's name names the contact a new thread makes, indexed on PostgreSQL: bounded as the API's names are.
      [
        rfc822(headers({ From: `"${randomBytes(3_000).toString('hex')}" <long-name@sender.example>` }), 'x'),
        'From name is longer than 256',
      ],
      // 998 is RFC 5322's limit in bytes: as many three-byte characters would not fit PostgreSQL's index.
      [
        rfc822(headers({ 'Message-ID': `<${incompressible(900)}@sender.example>` }), 'x'),
        'Message-ID is longer than 998 bytes',
      ],
    ];
    for (const [raw, problem] of cases) {
      const refused = await postRaw(raw);
      expect(refused.status, problem).toBe(422);
      expect(JSON.stringify(refused.body.message)).toContain(problem);
    }
  });

  it('answers 550, not 451, over SMTP for an email it can never record', async () => {
    for (const raw of [
      rfc822(headers({ Subject: 'a\u0000b' }), 'body'),
      rfc822(headers({ Subject: 'word '.repeat(2_001) }), 'body'),
      rfc822(headers({ 'Message-ID': `<${'m'.repeat(4096)}@sender.example>` }), 'x'),
    ]) {
      const failed = await smtpSend(port, [`${location.locationId}@${DOMAIN}`], raw).catch((error) => error);
      expect(responseCode(failed)).toBe(550);
    }
  });

  it('threads by the newest References only, and takes an email naming thousands of them', async () => {
    const first = await postRaw(rfc822(headers(), 'first'));
    expect(first.status).toBe(201);
    const firstId = (await harness.server.store.db
      .selectFrom('emails')
      .select('rfc_message_id')
      .where('id', '=', first.body.emailMessageId)
      .executeTakeFirstOrThrow()) as { rfc_message_id: string };
    const filler = (count: number) => Array.from({ length: count }, (_, i) => `<filler-${i}@nowhere.example>`);
    // The known ancestor among the newest twenty: threaded, by one statement naming at most twenty ids.
    recording = true;
    const near = await postRaw(
      rfc822(headers({ References: [...filler(5_000), firstId.rfc_message_id, ...filler(10)].join(' ') }), 'near'),
    ).finally(() => {
      recording = false;
    });
    expect(near.status).toBe(201);
    expect(near.body.outcome).toBe('threaded');
    const lookups = statements.filter((sql) => /"rfc_message_id" in \(/.test(sql));
    expect(lookups).toHaveLength(1);
    expect(lookups[0]?.match(/\$\d+|\?/g)?.length).toBeLessThanOrEqual(1 + 20);
    // Past the newest twenty: not looked for, so a thread of its own.
    const far = await postRaw(
      rfc822(headers({ References: [firstId.rfc_message_id, ...filler(30)].join(' ') }), 'far'),
    );
    expect(far.status).toBe(201);
    expect(far.body.outcome).toBe('new_thread');
  });

  it('records an email of megabytes of distinct words on both engines, searchable by its start', async () => {
    const words = Array.from({ length: 80_000 }, () => randomBytes(6).toString('hex'));
    words[0] = 'zanzibarquokka';
    const recorded = await postRaw(rfc822(headers({ From: 'Wordy <wordy@sender.example>' }), words.join(' ')));
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    const found = await location.api.get(null, '/conversations/messages/search', {
      query: { locationId: location.locationId, q: 'zanzibarquokka' },
    });
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    expect(JSON.stringify(found.body)).toContain(recorded.body.messageId);
  });

  it('refuses a message over SMTP_LISTEN_MAX_BYTES with 552, never holding more than the limit of it', async () => {
    const { reply, heldBytes } = await sendOversized(port, `${location.locationId}@${DOMAIN}`, 128 * 1024 * 1024);
    expect(reply).toMatch(/^552 /);
    // 128 MiB went through. Kept whole, it would be held twice over at the end (the chunks, then one buffer of them):
    // kept to the 4 MiB limit, what is held is that and the garbage of reading the rest, not yet collected.
    expect(heldBytes).toBeLessThan(80 * 1024 * 1024);
  });

  it('limits recipients per message and messages per client per minute', async () => {
    const to = [1, 2, 3].map((n) => `${location.locationId}+${n}@${DOMAIN}`);
    const partly = await smtpSend(port, to, rfc822(headers(), 'three recipients'));
    expect(partly.accepted).toHaveLength(2);
    expect(partly.rejected).toHaveLength(1);
    let refused: unknown = null;
    for (let attempt = 0; attempt < 6 && refused === null; attempt++) {
      await smtpSend(port, [to[0] as string], rfc822(headers(), `burst ${attempt}`)).catch((error) => {
        refused = error;
      });
    }
    expect(responseCode(refused)).toBe(421);
  });
});

describe.each(ENGINES)('inbound SMTP with SMTP_LISTEN_AUTH on %s', (engine) => {
  let harness: Harness;
  let port: number;
  let location: TestLocation;
  const auth = { user: 'relay', pass: 'relay-password-123' };

  beforeAll(async () => {
    harness = await startHarness(engine, {
      env: {
        WORKER_ENABLED: 'false',
        SMTP_LISTEN_PORT: '0',
        EMAIL_DOMAIN: DOMAIN,
        SMTP_LISTEN_AUTH: `${auth.user}:${auth.pass}`,
      },
    });
    port = harness.server.inboundSmtp?.port as number;
    location = await createLocation(harness);
  });
  afterAll(async () => harness?.close());

  it('takes mail only from senders that authenticate', async () => {
    const to = [`${location.locationId}@${DOMAIN}`];
    const raw = () =>
      rfc822({ From: 'someone@sender.example', To: to[0] as string, Subject: 's', 'Message-ID': messageId() }, 'x');
    const anonymous = await smtpSend(port, to, raw()).catch((error) => error);
    expect(responseCode(anonymous)).toBe(530);
    const wrong = await smtpSend(port, to, raw(), { ...auth, pass: 'nope' }).catch((error) => error);
    expect(responseCode(wrong)).toBe(535);
    expect((await smtpSend(port, to, raw(), auth)).accepted).toEqual(to);
  });
});
