// What the realtime layer carries: stored domain events read back from the log, ephemeral typing signals, and
// the messages servers exchange on the bus (wake-ups and typing, never the events themselves).
import type { DomainEvent } from '../events/types.js';

/** A domain event as read back from the retained log, in per-location sequence order: always numbered. */
export type StoredEvent = DomainEvent & { seq: number };

/** Someone is (or stopped) typing in a live chat conversation. Never stored: missed is missed. */
export interface TypingEvent {
  locationId: string;
  conversationId: string;
  contactId: string;
  /** Who types: an agent (or bot) through the API, or the visitor in the widget. */
  actor: 'agent' | 'visitor';
  visitorId: string;
  isTyping: boolean;
  /** True on the `false` a server sends by itself when an `isTyping: true` was not renewed in time. */
  expired?: boolean;
  /** How long an `isTyping: true` holds unless renewed, so clients can expire it themselves too. */
  ttlMs: number;
  at: number;
}

export type BusMessage =
  /** The location has committed events up to `seq`: streams following it should read the log. */
  | { kind: 'events'; locationId: string; seq: number }
  | { kind: 'typing'; event: TypingEvent }
  /** Local only: the adapter was disconnected and may have missed wake-ups; every stream should re-read. */
  | { kind: 'resumed' };

/** One server-sent event. Stored events carry their seq as `id`; ephemeral ones carry none. */
export interface SseFrame {
  id?: number;
  event: string;
  data: unknown;
}

/** What a stream shows of each event: the integrator's full view, or a visitor's filtered one. null hides it. */
export interface StreamView {
  event(event: StoredEvent): SseFrame | null;
  typing(event: TypingEvent): SseFrame | null;
}
