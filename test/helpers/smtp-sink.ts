// A real SMTP server, in-process (smtp-server), standing in for the mail server SMTP_URL names: it keeps what it
// receives (envelope and raw message, parsed with mailparser) and answers DATA and RCPT as a test tells it to.
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelope: { from: string | null; to: string[] };
  raw: string;
  parsed: ParsedMail;
}

function reply(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Answers for the next messages, in order: an SMTP code refuses the message with it; none accepts. */
  readonly dataReplies: number[] = [];
  /** Recipients refused at RCPT TO with 550. */
  readonly refusedRecipients = new Set<string>();

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(): Promise<SmtpSink> {
    let sink: SmtpSink | undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (sink?.refusedRecipients.has(address.address)) return callback(reply(550, '5.1.1 No such user here'));
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const code = sink?.dataReplies.shift();
          if (code !== undefined) return callback(reply(code, code >= 500 ? 'Message rejected' : 'Try again later'));
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then(
            (parsed) => {
              sink?.received.push({
                envelope: {
                  from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
                  to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
                },
                raw: raw.toString('utf8'),
                parsed,
              });
              callback(null, 'Queued');
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    sink = new SmtpSink(server, (server.server.address() as AddressInfo).port);
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The message received with this Message-ID. */
  byMessageId(messageId: string): ReceivedMail | undefined {
    return this.received.find((mail) => mail.parsed.messageId === messageId);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Sends an email to an SMTP server the way another mail server would (no auth, no TLS). */
export async function sendToSmtp(
  port: number,
  message: Parameters<ReturnType<typeof nodemailer.createTransport>['sendMail']>[0],
) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail(message);
  } finally {
    transport.close();
  }
}
