// The inbound SMTP listener (SMTP_LISTEN_PORT, off by default): Switchboard as the mail server of EMAIL_DOMAIN.
// It takes mail for addresses at EMAIL_DOMAIN only (it relays nothing), routes each email to its locations
// (InboundEmailService.locationsFor) and records it there. Replies are decided before the sender lets go: a
// message for no location is refused with 550, one Switchboard can never record (no usable From, NUL, an oversize
// header block or Message-ID) with 550 too, and only a failure to record it is a 451 so the sending server retries.
// Limits like a real MTA's (docs/security.md): message size, recipients per message, messages per client address
// per minute, connections at once, and optional AUTH (SMTP_LISTEN_AUTH). No STARTTLS: put a TLS-terminating MTA in
// front where the connection must be encrypted.
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { SMTPServerDataStream } from 'smtp-server';
import type { SmtpListenConfig } from '../config.js';
import { DomainError } from '../domain/errors.js';
import type { InboundEmailService } from '../domain/messages/inbound-email.js';
import { TokenBuckets } from '../http/token-bucket.js';
import { onFirstUse } from '../lazy-package.js';
import { parseEmail } from './parse.js';

const loadSmtpServer = onFirstUse<typeof import('smtp-server')>('smtp-server');

export interface InboundSmtpListener {
  readonly port: number;
  close(): Promise<void>;
}

/** An SMTP reply: smtp-server answers a callback error with its responseCode. */
function reply(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Errors of the email itself: refused for good, so the sender gives up rather than retry forever. */
const PERMANENT = new Set(['BAD_REQUEST', 'VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE']);

/**
 * The message as sent, or null when it went over the size limit. smtp-server passes every byte of an oversized message
 * on (only flagging it), and the 552 can only be answered once the sender has finished: from the moment it is over,
 * the rest is read and dropped, so no sender can make the listener hold more than the limit in memory.
 */
export async function readWithinLimit(stream: SMTPServerDataStream): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    if (stream.sizeExceeded) chunks.length = 0;
    else chunks.push(chunk as Buffer);
  }
  return stream.sizeExceeded ? null : Buffer.concat(chunks);
}

export async function startSmtpListener(
  config: SmtpListenConfig,
  domain: string,
  inbound: InboundEmailService,
  /** Resolves once what was recorded is on disk: the 250 that accepts a message waits for it. */
  durable: () => Promise<void>,
  onError: (error: unknown) => void = () => {},
): Promise<InboundSmtpListener> {
  const record = async (raw: Buffer, recipients: string[]): Promise<string> => {
    const email = await parseEmail(raw);
    const locations = await inbound.locationsFor(recipients, email);
    if (locations.length === 0) throw reply(550, '5.1.1 No location or thread here for this message');
    for (const locationId of locations) await inbound.receive(locationId, email);
    await durable();
    return 'Message recorded';
  };
  const perClient = new TokenBuckets(config.messagesPerMinute, config.messagesPerMinute);
  const auth = config.auth;
  const server = new (loadSmtpServer().SMTPServer)({
    name: domain,
    banner: 'Switchboard',
    size: config.maxBytes,
    maxClients: config.maxClients,
    authOptional: auth === null,
    // Without TLS here, AUTH travels in the clear: acceptable only behind the TLS-terminating MTA this expects.
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    disabledCommands: auth === null ? ['AUTH', 'STARTTLS'] : ['STARTTLS'],
    logger: false,
    closeTimeout: 5_000,
    onAuth(credentials, _session, callback) {
      const ok =
        auth !== null &&
        sameSecret(credentials.username ?? '', auth.user) &&
        sameSecret(credentials.password ?? '', auth.pass);
      if (!ok) return callback(reply(535, '5.7.8 Authentication credentials invalid'));
      callback(null, { user: auth.user });
    },
    onMailFrom(_address, session, callback) {
      const taken = perClient.take(session.remoteAddress);
      if (taken.ok) return callback();
      callback(reply(421, '4.7.0 Too many messages from this address, try again later'));
    },
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= config.maxRecipients) {
        return callback(reply(452, `4.5.3 Too many recipients (at most ${config.maxRecipients} per message)`));
      }
      if (inbound.acceptsRecipient(address.address)) return callback();
      callback(reply(550, `5.7.1 Not a domain of this server: relaying denied for <${address.address}>`));
    },
    onData(stream, session, callback) {
      const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address);
      readWithinLimit(stream)
        .then((raw) => {
          if (raw === null) throw reply(552, '5.3.4 Message exceeds the maximum size');
          return record(raw, recipients);
        })
        .then(
          (text) => callback(null, text),
          (error: unknown) => {
            if (error instanceof Error && 'responseCode' in error) return callback(error);
            // A message Switchboard can never record (no usable From, NUL, oversize headers) is refused; anything
            // else may pass later.
            if (error instanceof DomainError && PERMANENT.has(error.code)) {
              return callback(reply(550, `5.6.0 ${[error.messages].flat().join('; ')}`));
            }
            onError(error);
            callback(reply(451, '4.3.0 Temporary failure recording the message, try again later'));
          },
        );
    },
  });
  server.on('error', onError);
  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    server.server.once('error', failed);
    server.listen(config.port, config.host, () => {
      server.server.off('error', failed);
      resolve();
    });
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
