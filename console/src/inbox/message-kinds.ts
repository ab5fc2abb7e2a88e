// How the thread draws each message type (codes of src/domain/message-types.ts): a bubble, an email, a call, an
// internal comment or an activity line. Pure, so the renderers' choices are unit-tested.
import type { Message } from '../api/types.js';

export type MessageKind = 'bubble' | 'email' | 'call' | 'comment' | 'activity';

const EMAIL = new Set([3, 9, 21, 23]);
const CALL = new Set([1, 8, 10, 13, 24, 34]);
const COMMENT = new Set([36, 37]);
const ACTIVITY = new Set([25, 26, 27, 28, 30, 31, 38, 42, 44]);

export function kindOf(message: Pick<Message, 'type'>): MessageKind {
  if (EMAIL.has(message.type)) return 'email';
  if (CALL.has(message.type)) return 'call';
  if (COMMENT.has(message.type)) return 'comment';
  if (ACTIVITY.has(message.type)) return 'activity';
  return 'bubble';
}

/** The channel key of a TYPE_* name for labels (channels.TYPE_SMS …), falling back to a generic one. */
export function channelKey(messageType: string | undefined): string {
  return messageType && /^TYPE_[A-Z_]+$/.test(messageType) ? `channels.${messageType}` : 'channels.other';
}

/** A URL the console may link or load: http(s) only, so `javascript:` and `data:` links stay text. */
const origin = () => globalThis.location?.origin ?? 'http://localhost';

export function safeUrl(value: string): string | null {
  try {
    const url = new URL(value, origin());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

export function isImage(url: string): boolean {
  return /\.(png|jpe?g|gif|webp|avif|svg)(\?|#|$)/i.test(url);
}

export function isAudio(url: string): boolean {
  return /\.(mp3|wav|ogg|m4a|webm)(\?|#|$)/i.test(url);
}

/** The carrier's or provider's error of a failed message, as one line. */
export function errorText(error: Message['error']): string | null {
  if (!error) return null;
  if (typeof error === 'string') return error;
  return [error.code, error.message].filter(Boolean).join(': ') || null;
}

export function fileName(url: string): string {
  try {
    const path = new URL(url, origin()).pathname;
    return decodeURIComponent(path.split('/').filter(Boolean).at(-1) ?? url);
  } catch {
    return url;
  }
}
