// The one source of "now", injectable so tests control time instead of sleeping. A virtual clock (CLOCK=virtual)
// moves only when told to (POST /admin/v1/clock); timers set through `after` follow whichever clock is in use.
export interface Clock {
  now(): number;
}

export interface Timer {
  cancel(): void;
}

/** A clock that also keeps timers: they fire when the clock passes their time, not when the wall clock does. */
export interface TimerClock extends Clock {
  after(delayMs: number, fire: () => void): Timer;
}

export const systemClock: Clock = { now: () => Date.now() };

function hasTimers(clock: Clock): clock is TimerClock {
  return typeof (clock as Partial<TimerClock>).after === 'function';
}

/** Calls `fire` once `delayMs` have passed on `clock`: real time, or the virtual clock's time when it keeps timers. */
export function after(clock: Clock, delayMs: number, fire: () => void): Timer {
  if (hasTimers(clock)) return clock.after(delayMs, fire);
  const timer = setTimeout(fire, delayMs);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
}

interface PendingTimer {
  at: number;
  order: number;
  fire: () => void;
}

/** Server time that starts at a given instant and moves only forward, and only when moved. */
export class VirtualClock implements TimerClock {
  private current: number;
  private timers: PendingTimer[] = [];
  private order = 0;

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  after(delayMs: number, fire: () => void): Timer {
    const timer: PendingTimer = { at: this.current + Math.max(0, delayMs), order: this.order++, fire };
    this.timers.push(timer);
    return { cancel: () => (this.timers = this.timers.filter((t) => t !== timer)) };
  }

  /** When the earliest timer is due, if any. */
  nextTimerAt(): number | undefined {
    let next: number | undefined;
    for (const timer of this.timers) if (next === undefined || timer.at < next) next = timer.at;
    return next;
  }

  /** Moves to `at` (never back), firing each timer due by then in due order, with the clock at its time. */
  moveTo(at: number): void {
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= at).sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.current = Math.max(this.current, due.at);
      due.fire();
    }
    this.current = Math.max(this.current, at);
  }
}
