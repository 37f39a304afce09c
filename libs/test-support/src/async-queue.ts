import { withTimeout } from './wait.js';

/** Values pushed by a callback, taken one at a time by tests that wait for the next one. */
export class AsyncQueue<T> {
  readonly #items: T[] = [];
  readonly #waiters: ((item: T) => void)[] = [];

  push(item: T): void {
    const waiter = this.#waiters.shift();
    if (waiter === undefined) this.#items.push(item);
    else waiter(item);
  }

  get pending(): number {
    return this.#items.length;
  }

  next(what: string, timeoutMs = 10_000): Promise<T> {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift()!);
    return withTimeout(new Promise<T>((resolve) => this.#waiters.push(resolve)), what, timeoutMs);
  }
}
