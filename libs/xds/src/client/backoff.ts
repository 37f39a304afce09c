/**
 * Exponential backoff with "equal jitter": each delay is drawn from the upper half of the
 * exponential step, so proxies that lost the control plane together do not come back in
 * lockstep, yet none retries much sooner than the step says.
 */
export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(initialMs: number, maxMs: number, random: () => number = Math.random) {
    this.#initialMs = initialMs;
    this.#maxMs = maxMs;
    this.#random = random;
  }

  /** The delay before the next attempt. */
  next(): number {
    const step = Math.min(this.#maxMs, this.#initialMs * 2 ** this.#attempt);
    // Past the cap the exponent no longer matters; keep it from growing without bound.
    if (step < this.#maxMs) this.#attempt++;
    return Math.round(step / 2 + (this.#random() * step) / 2);
  }

  /** After a connection that worked, start again from the initial delay. */
  reset(): void {
    this.#attempt = 0;
  }
}
