// Typing indicators: ephemeral, never stored. Every server tracks the signals it hears on the bus and turns an
// `isTyping: true` that was not renewed in time into a `false` for its own streams, so an expiry needs no
// coordination between servers and a renewal on another server simply restarts the clock here too.
import type { TypingEvent } from './types.js';

export class TypingTracker {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deliver: (event: TypingEvent) => void) {}

  receive(event: TypingEvent): void {
    const key = `${event.locationId}\u0000${event.conversationId}\u0000${event.actor}`;
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.delete(key);
    this.deliver(event);
    if (!event.isTyping) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.deliver({ ...event, isTyping: false, expired: true, at: event.at + event.ttlMs });
    }, event.ttlMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  /** Who is typing now, on this server's reckoning (for tests and diagnostics). */
  get active(): number {
    return this.timers.size;
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
