// Typing indicators: ephemeral, never stored. Every server tracks the signals it hears on the bus and turns an
// `isTyping: true` that was not renewed in time into a `false` for its own streams, so an expiry needs no
// coordination between servers and a renewal on another server simply restarts the clock here too.
import { after, type Clock, type Timer } from '../domain/clock.js';
import type { TypingEvent } from './types.js';

export class TypingTracker {
  private readonly timers = new Map<string, Timer>();

  constructor(
    private readonly deliver: (event: TypingEvent) => void,
    private readonly clock: Clock,
  ) {}

  receive(event: TypingEvent): void {
    const key = `${event.locationId}\u0000${event.conversationId}\u0000${event.actor}`;
    const pending = this.timers.get(key);
    pending?.cancel();
    this.timers.delete(key);
    this.deliver(event);
    if (!event.isTyping) return;
    // On this server's clock, so a virtual clock moved past the expiry ends the typing too.
    const timer = after(this.clock, event.ttlMs, () => {
      this.timers.delete(key);
      this.deliver({ ...event, isTyping: false, expired: true, at: event.at + event.ttlMs });
    });
    this.timers.set(key, timer);
  }

  /** Who is typing now, on this server's reckoning (for tests and diagnostics). */
  get active(): number {
    return this.timers.size;
  }

  close(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }
}
