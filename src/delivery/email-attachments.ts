// Attachments of outbound email, read before the SMTP conversation starts: a file stored by Switchboard is read from
// the blob store; any other URL is fetched over http(s) with the server's fetch policy (private addresses refused
// unless allow-listed, a deadline), and all of them together are capped at what mail servers commonly accept.
import type { Readable } from 'node:stream';
import type { FileService } from '../domain/files.js';
import { fetchRemote, RemoteFetchError } from '../files/remote.js';

/** The total size of one email's attachments: 25 MB, the usual limit of receiving mail servers. */
export const MAX_EMAIL_ATTACHMENT_BYTES = 25 * 1024 * 1024;

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** An attachment that could not be read: `transient` when trying again later may succeed. */
export class AttachmentError extends Error {
  constructor(
    readonly transient: boolean,
    message: string,
  ) {
    super(message);
    this.name = 'AttachmentError';
  }
}

async function readCapped(body: Readable, budget: number, url: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > budget) {
        throw new AttachmentError(false, `attachments exceed ${MAX_EMAIL_ATTACHMENT_BYTES} bytes in total`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    body.destroy();
    if (error instanceof AttachmentError) throw error;
    throw new AttachmentError(true, `attachment ${url} could not be read: ${(error as Error).message}`);
  }
  return Buffer.concat(chunks);
}

export class EmailAttachmentLoader {
  constructor(
    private readonly files: FileService,
    private readonly maxBytes: number = MAX_EMAIL_ATTACHMENT_BYTES,
  ) {}

  async load(urls: readonly string[]): Promise<MailAttachment[]> {
    const attachments: MailAttachment[] = [];
    let budget = this.maxBytes;
    for (const url of urls) {
      const attachment = await this.loadOne(url, budget);
      budget -= attachment.content.length;
      attachments.push(attachment);
    }
    return attachments;
  }

  private async loadOne(url: string, budget: number): Promise<MailAttachment> {
    const own = await this.files.ownFile(url);
    if (own) {
      const stored = await this.files.openFile(own, undefined);
      if (!stored || stored.status === 416) throw new AttachmentError(false, `attachment ${url} is no longer stored`);
      if (own.size > budget) {
        stored.body.destroy();
        throw new AttachmentError(false, `attachments exceed ${MAX_EMAIL_ATTACHMENT_BYTES} bytes in total`);
      }
      return { filename: own.name, contentType: own.content_type, content: await readCapped(stored.body, budget, url) };
    }
    const policy = this.files.fetchPolicy;
    let remote: Awaited<ReturnType<typeof fetchRemote>>;
    try {
      remote = await fetchRemote(url, policy, { deadlineMs: policy.timeoutMs });
    } catch (error) {
      // A refused address (private, not http) never becomes fetchable by waiting; a failed fetch may.
      const refused = error instanceof RemoteFetchError && error.reason === 'refused';
      throw new AttachmentError(!refused, `attachment ${url} could not be fetched: ${(error as Error).message}`);
    }
    if (remote.contentLength !== null && remote.contentLength > budget) {
      remote.body.destroy();
      throw new AttachmentError(false, `attachments exceed ${MAX_EMAIL_ATTACHMENT_BYTES} bytes in total`);
    }
    return {
      filename: remote.name || 'attachment',
      contentType: remote.contentType?.split(';')[0]?.trim() || 'application/octet-stream',
      content: await readCapped(remote.body, budget, url),
    };
  }
}
