// The inbound SMTP listener (SMTP_LISTEN_PORT, off by default): Switchboard as the mail server of EMAIL_DOMAIN.
// It takes mail for addresses at EMAIL_DOMAIN only (it relays nothing), routes each email to its locations
// (InboundEmailService.locationsFor) and records it there. Replies are decided before the sender lets go: a
// message for no location is refused with 550, a failure to record it is a 451 so the sending server retries.
// No AUTH and no STARTTLS: put a TLS-terminating MTA in front where the connection must be encrypted.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { SmtpListenConfig } from '../config.js';
import { DomainError } from '../domain/errors.js';
import type { InboundEmailService } from '../domain/messages/inbound-email.js';
import { MAX_INBOUND_EMAIL_BYTES, parseEmail } from './parse.js';

export interface InboundSmtpListener {
  readonly port: number;
  close(): Promise<void>;
}

/** An SMTP reply: smtp-server answers a callback error with its responseCode. */
function reply(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
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
  const server = new SMTPServer({
    name: domain,
    banner: 'Switchboard',
    size: MAX_INBOUND_EMAIL_BYTES,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    closeTimeout: 5_000,
    onRcptTo(address, _session, callback) {
      if (inbound.acceptsRecipient(address.address)) return callback();
      callback(reply(550, `5.7.1 Not a domain of this server: relaying denied for <${address.address}>`));
    },
    onData(stream, session, callback) {
      const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address);
      readAll(stream)
        .then((raw) => {
          if (stream.sizeExceeded) throw reply(552, '5.3.4 Message exceeds the maximum size');
          return record(raw, recipients);
        })
        .then(
          (text) => callback(null, text),
          (error: unknown) => {
            if (error instanceof Error && 'responseCode' in error) return callback(error);
            // A message Switchboard can never record (no usable From) is refused; anything else may pass later.
            if (error instanceof DomainError && error.code === 'BAD_REQUEST') {
              return callback(reply(550, `5.6.0 ${error.message}`));
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
