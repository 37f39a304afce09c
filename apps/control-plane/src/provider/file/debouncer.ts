export interface DebounceTiming {
  /** Run once nothing new has come for this long. */
  readonly quietMs: number;
  /** Run at the latest this long after the first poke, however busy it stays. */
  readonly maxDelayMs: number;
}

/**
 * Coalesces a burst of pokes into one run. The cap keeps a file that is rewritten
 * without pause (a log-like writer, a sync tool) from postponing its change forever.
 */
export class Debouncer {
  readonly #run: () => void;
  readonly #timing: DebounceTiming;
  #timer: NodeJS.Timeout | undefined;
  #firstPokeAt = 0;

  constructor(run: () => void, timing: DebounceTiming) {
    this.#run = run;
    this.#timing = timing;
  }

  poke(): void {
    const now = performance.now();
    if (this.#timer === undefined) this.#firstPokeAt = now;
    else clearTimeout(this.#timer);
    const delay = Math.max(0, Math.min(this.#timing.quietMs, this.#firstPokeAt + this.#timing.maxDelayMs - now));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#run();
    }, delay);
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
