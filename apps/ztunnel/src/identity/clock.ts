/**
 * Time as the certificate manager sees it: the current time and one-shot timers.
 * Injected so that tests drive renewal and backoff without waiting on the wall clock.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `callback` once after about `delayMs`; returns what cancels it. */
  schedule(delayMs: number, callback: () => void): () => void;
}

/** setTimeout's longest delay; a later renewal is reached in several steps. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  schedule(delayMs, callback) {
    // Unreferenced: a pending renewal alone does not keep the process alive.
    const timer = setTimeout(callback, Math.min(Math.max(0, delayMs), MAX_TIMER_MS)).unref();
    return () => clearTimeout(timer);
  },
};
