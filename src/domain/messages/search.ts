// Full-text search over every message of a location (docs/message-search.md): the words of a query folded to the
// index's form, a channel narrowed to its type codes, a signed keyset cursor, and the highlight shown with each match.
import type { Store } from '../../store/database.js';
import { emailTextsOf, searchMessages } from '../../store/repositories/message-search.js';
import type { MessageRow } from '../../store/repositories/messages.js';
import { CursorSigner, queryDigest } from '../cursor.js';
import { DomainError } from '../errors.js';
import { EXPORT_CHANNELS, type ExportChannel, isEmailCode } from '../message-types.js';
import { type MessageList, withEmailIds } from './read.js';
import { escapeHtml } from './summary.js';

export const SEARCH_DEFAULT_LIMIT = 20;
export const MAX_SEARCH_WORDS = 16;
const WORD = /[\p{L}\p{N}]+/gu;
const EXCERPT_BEFORE = 60;
const EXCERPT_LENGTH = 200;

export interface MessageSearchParams {
  q: string;
  conversationId?: string;
  contactId?: string;
  channel?: ExportChannel;
  limit?: number;
  cursor?: string;
}

export interface MessageSearchPage extends MessageList {
  /** Each message's highlight, by message id. */
  highlights: Map<string, string>;
  total: number;
  nextCursor: string | null;
}

/** A word as both indexes hold it: lower case, accents (combining marks after NFD) removed. */
export function foldWord(word: string): string {
  return word
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** The query's distinct words, folded; a query with none, or too many, is refused. */
export function queryWords(q: string): string[] {
  const words = [...new Set((q.match(WORD) ?? []).map(foldWord).filter((word) => word.length > 0))];
  if (words.length === 0) throw new DomainError('VALIDATION_FAILED', ['q must contain at least one word']);
  if (words.length > MAX_SEARCH_WORDS) {
    throw new DomainError('VALIDATION_FAILED', [`q must contain at most ${MAX_SEARCH_WORDS} words`]);
  }
  return words;
}

function tokensOf(text: string, words: readonly string[]) {
  return [...text.matchAll(WORD)].map((match) => ({
    start: match.index ?? 0,
    end: (match.index ?? 0) + match[0].length,
    hit: words.some((word) => foldWord(match[0]).startsWith(word)),
  }));
}

/** Whether `text` holds every word (as the start of one of its words), as the indexes match. */
function holdsEvery(text: string, words: readonly string[]): boolean {
  const folded = [...text.matchAll(WORD)].map((match) => foldWord(match[0]));
  return words.every((word) => folded.some((token) => token.startsWith(word)));
}

/**
 * An excerpt of `text` around its first matched word, HTML-escaped, with every word that starts with a query word
 * wrapped in <mark>; "…" where text was left out.
 */
export function highlight(text: string, words: readonly string[]): string {
  const tokens = tokensOf(text, words);
  const first = tokens.find((token) => token.hit);
  let from = first ? Math.max(0, first.start - EXCERPT_BEFORE) : 0;
  // Start and end on word boundaries, never inside a word.
  const cut = tokens.find((token) => token.start < from && token.end > from);
  if (cut) from = cut.start;
  let to = Math.min(text.length, from + EXCERPT_LENGTH);
  const last = tokens.find((token) => token.start < to && token.end > to);
  if (last) to = last.start;
  let out = '';
  let at = from;
  for (const token of tokens) {
    if (!token.hit || token.start < from || token.end > to) continue;
    out += `${escapeHtml(text.slice(at, token.start))}<mark>${escapeHtml(text.slice(token.start, token.end))}</mark>`;
    at = token.end;
  }
  out += escapeHtml(text.slice(at, to));
  return `${from > 0 ? '…' : ''}${out.trim()}${to < text.length ? '…' : ''}`;
}

export class MessageSearchService {
  private readonly cursors: CursorSigner;

  constructor(private readonly store: Store) {
    this.cursors = new CursorSigner(store);
  }

  /** Messages of the location whose text holds every word of `q`, newest first. */
  async search(locationId: string, params: MessageSearchParams): Promise<MessageSearchPage> {
    const words = queryWords(params.q);
    const digest = queryDigest({
      locationId,
      words: words.join(' '),
      conversationId: params.conversationId,
      contactId: params.contactId,
      channel: params.channel,
    });
    const after = params.cursor ? await this.cursors.verify(params.cursor, digest) : undefined;
    const db = this.store.db;
    const page = await searchMessages(db, {
      locationId,
      words,
      limit: params.limit ?? SEARCH_DEFAULT_LIMIT,
      ...(params.conversationId ? { conversationId: params.conversationId } : {}),
      ...(params.contactId ? { contactId: params.contactId } : {}),
      ...(params.channel ? { types: EXPORT_CHANNELS[params.channel] } : {}),
      ...(after ? { before: { at: after.value, seq: after.seq } } : {}),
    });
    const last = page.rows.at(-1);
    const nextCursor =
      page.more && last ? await this.cursors.sign({ value: last.date_added, seq: last.seq }, digest) : null;
    const highlights = await this.highlights(page.rows, words);
    return { ...(await withEmailIds(db, page.rows)), highlights, total: page.total, nextCursor };
  }

  /**
   * Each match's highlight, drawn from its text; an email thread matched by an older email (or a subject) is
   * highlighted in the newest of its emails that holds every word.
   */
  private async highlights(rows: readonly MessageRow[], words: string[]): Promise<Map<string, string>> {
    const threads = rows.filter((row) => isEmailCode(row.type) && !holdsEvery(row.body ?? '', words));
    const emails = await emailTextsOf(
      this.store.db,
      threads.map((row) => row.id),
    );
    return new Map(
      rows.map((row) => {
        const text = emails.get(row.id)?.find((email) => holdsEvery(email, words)) ?? row.body ?? '';
        return [row.id, highlight(text, words)];
      }),
    );
  }
}
