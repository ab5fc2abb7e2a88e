// SMTP configuration (SMTP_URL, SMTP_LISTEN_PORT) and the SMTP adapter's view of a server it cannot reach.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { EmailAttachmentLoader } from '../../src/delivery/email-attachments.js';
import { type OutboundDelivery, TransientDeliveryError } from '../../src/delivery/port.js';
import { SmtpAdapter } from '../../src/delivery/smtp.js';

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('SMTP configuration', () => {
  it('is off by default', () => {
    expect(loadConfig({})).toMatchObject({ smtp: null, smtpListen: null });
  });

  it('reads smtp:// and smtps:// URLs with credentials, default ports and options', () => {
    expect(loadConfig({ SMTP_URL: 'smtp://mailer:s%40cret@mail.example.com:2525' }).smtp).toEqual({
      host: 'mail.example.com',
      port: 2525,
      secure: false,
      auth: { user: 'mailer', pass: 's@cret' },
      requireTLS: false,
      rejectUnauthorized: true,
    });
    expect(loadConfig({ SMTP_URL: 'smtps://relay.internal?rejectUnauthorized=false' }).smtp).toEqual({
      host: 'relay.internal',
      port: 465,
      secure: true,
      auth: null,
      requireTLS: false,
      rejectUnauthorized: false,
    });
    expect(loadConfig({ SMTP_URL: 'smtp://[::1]?requireTLS=true' }).smtp).toMatchObject({
      host: '::1',
      port: 587,
      requireTLS: true,
    });
  });

  it('stops start-up on a bad SMTP_URL, naming the variable and never echoing the password', () => {
    for (const value of [
      'mail.example.com',
      'http://mail.example.com',
      'smtp://',
      'smtp://host:0',
      'smtp://host/path',
      'smtp://host?tls=off',
      'smtp://host?requireTLS=yes',
      'smtp://u%zz:secret-pass@host',
    ]) {
      const error = failure({ SMTP_URL: value });
      expect(error.message, value).toMatch(/^Invalid configuration: SMTP_URL /);
      expect(error.message).not.toContain('secret-pass');
    }
  });

  it('starts the inbound listener only with SMTP_LISTEN_PORT', () => {
    expect(loadConfig({ SMTP_LISTEN_PORT: '2525', HOST: '0.0.0.0' }).smtpListen).toEqual({
      host: '0.0.0.0',
      port: 2525,
      maxBytes: 36 * 1024 * 1024,
      maxRecipients: 50,
      messagesPerMinute: 60,
      maxClients: 100,
      auth: null,
    });
    expect(loadConfig({ SMTP_LISTEN_PORT: '25', SMTP_LISTEN_HOST: '::' }).smtpListen).toMatchObject({
      host: '::',
      port: 25,
    });
    expect(failure({ SMTP_LISTEN_PORT: 'smtp' }).message).toMatch(/SMTP_LISTEN_PORT/);
  });

  it('bounds the inbound listener as configured', () => {
    expect(
      loadConfig({
        SMTP_LISTEN_PORT: '2525',
        SMTP_LISTEN_MAX_BYTES: '2048',
        SMTP_LISTEN_MAX_RECIPIENTS: '3',
        SMTP_LISTEN_MESSAGES_PER_MINUTE: '5',
        SMTP_LISTEN_MAX_CLIENTS: '7',
        SMTP_LISTEN_AUTH: 'relay:pa:ss',
      }).smtpListen,
    ).toMatchObject({
      maxBytes: 2048,
      maxRecipients: 3,
      messagesPerMinute: 5,
      maxClients: 7,
      auth: { user: 'relay', pass: 'pa:ss' },
    });
    for (const SMTP_LISTEN_AUTH of ['nopassword', ':x', 'user:']) {
      expect(failure({ SMTP_LISTEN_PORT: '2525', SMTP_LISTEN_AUTH }).message).toMatch(/SMTP_LISTEN_AUTH/);
    }
  });
});

describe('SmtpAdapter', () => {
  it('reports a server it cannot connect to as a transient failure, to be retried', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const noAttachments = { load: async () => [] } as unknown as EmailAttachmentLoader;
    const adapter = new SmtpAdapter(
      { host: '127.0.0.1', port, secure: false, auth: null, requireTLS: false, rejectUnauthorized: true },
      noAttachments,
      { now: () => Date.now() },
    );
    const delivery: OutboundDelivery = {
      locationId: 'loc',
      messageId: 'msg',
      emailId: 'email',
      messageType: 'TYPE_EMAIL',
      contactId: 'contact',
      conversationId: 'conversation',
      conversationProviderId: null,
      userId: null,
      body: 'Hi',
      attachments: [],
      email: {
        from: 'noreply@switchboard.test',
        to: ['jane@example.com'],
        cc: [],
        bcc: [],
        subject: 'Hi',
        html: '<p>Hi</p>',
        rfcMessageId: '<email@switchboard.test>',
        references: [],
        threadId: 'email',
      },
    };
    await expect(adapter.deliver(delivery)).rejects.toBeInstanceOf(TransientDeliveryError);
  });
});
