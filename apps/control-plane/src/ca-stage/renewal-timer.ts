/** setTimeout's largest delay (about 24.8 days); a longer one fires at once. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * Calls `renew` at a given time. Unref'd, so that a pending renewal never keeps the
 * process alive, and re-armed when the time is beyond what one timer can wait.
 */
export class RenewalTimer {
  readonly #renew: () => void;
  readonly #minDelayMs: number;
  #timer: NodeJS.Timeout | undefined;

  /**
   * `minDelayMs` bounds how often `renew` can run: a time already past (a certificate
   * issued with a short lifetime, or a renewal that failed) waits that long rather
   * than spinning.
   */
  constructor(renew: () => void, minDelayMs: number) {
    this.#renew = renew;
    this.#minDelayMs = minDelayMs;
  }

  schedule(at: Date): void {
    this.cancel();
    const wanted = Math.max(at.getTime() - Date.now(), this.#minDelayMs);
    const delay = Math.min(wanted, MAX_TIMER_DELAY_MS);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (delay < wanted) this.schedule(at);
      else this.#renew();
    }, delay);
    this.#timer.unref();
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
