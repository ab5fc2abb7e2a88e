// Attachments travel as URLs a recipient (or a provider) can fetch: anything else — a local file path, a relative
// path, a data: or file: URI — would be stored and reported delivered while nobody could ever open it.
import { DomainError } from '../errors.js';

const SHOWN = 80;

function isAbsoluteHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Refuses (422) a list holding anything but absolute http(s) URLs, naming every offending item by position. */
export function requireAttachmentUrls(attachments: readonly string[] | undefined, field = 'attachments'): void {
  const problems: string[] = [];
  (attachments ?? []).forEach((item, index) => {
    if (isAbsoluteHttpUrl(item)) return;
    const shown = item.length > SHOWN ? `${item.slice(0, SHOWN)}…` : item;
    problems.push(`${field}[${index}] must be an absolute http or https URL (got ${JSON.stringify(shown)})`);
  });
  if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', problems);
}
