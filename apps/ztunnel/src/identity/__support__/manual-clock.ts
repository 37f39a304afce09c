import { vi } from 'vitest';
import type { Clock } from '../clock.js';

interface Timer {
  readonly at: number;
  readonly callback: () => void;
}

/**
 * A clock that moves only when told to, for tests. It reads and sets vitest's faked
 * `Date` (the spec calls `vi.useFakeTimers({ toFake: ['Date'] })`), so that certificates
 * an in-process CA signs are dated on the same time line as renewals.
 */
export class ManualClock implements Clock {
  readonly #timers = new Set<Timer>();

  now(): number {
    return Date.now();
  }

  schedule(delayMs: number, callback: () => void): () => void {
    const timer = { at: this.now() + delayMs, callback };
    this.#timers.add(timer);
    return () => this.#timers.delete(timer);
  }

  /** Timers not yet fired nor cancelled. */
  get pending(): number {
    return this.#timers.size;
  }

  /** When the next timer fires; undefined when none is set. */
  get nextAt(): number | undefined {
    return this.#earliest()?.at;
  }

  /** Moves time forward by `ms`, firing the timers that come due, earliest first. */
  advance(ms: number): void {
    const target = this.now() + ms;
    for (let fired = 0; ; fired++) {
      if (fired > 1000) throw new Error('more than 1000 timers fired in one advance: a timer re-arms itself without delay');
      const next = this.#earliest();
      if (next === undefined || next.at > target) break;
      this.#timers.delete(next);
      vi.setSystemTime(Math.max(this.now(), next.at));
      next.callback();
    }
    vi.setSystemTime(target);
  }

  #earliest(): Timer | undefined {
    let earliest: Timer | undefined;
    for (const timer of this.#timers) if (earliest === undefined || timer.at < earliest.at) earliest = timer;
    return earliest;
  }
}
