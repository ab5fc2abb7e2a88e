// A clock tests move by hand, so scheduling is tested without sleeping.
import type { Clock } from '../../src/domain/clock.js';

export class TestClock implements Clock {
  constructor(private current: number = Date.parse('2026-01-15T12:00:00.000Z')) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): number {
    this.current += ms;
    return this.current;
  }

  set(ms: number): void {
    this.current = ms;
  }
}
