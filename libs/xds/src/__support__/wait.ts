/**
 * Bounded waits for tests. The timeouts only turn a hang into a failure with a message;
 * nothing asserts how long anything took.
 */
export const WAIT_MS = 5_000;

export function withTimeout<T>(promise: Promise<T>, what: string, timeoutMs = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Calls `check` after every `signal` until it returns true. */
export class Signal {
  readonly #waiters = new Set<() => void>();

  notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  async until(check: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
    if (check()) return;
    let done: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => {
      done = () => {
        if (!check()) return;
        this.#waiters.delete(done);
        resolve();
      };
      this.#waiters.add(done);
    });
    try {
      await withTimeout(reached, what, timeoutMs);
    } finally {
      this.#waiters.delete(done);
    }
  }
}

/** Retries `check` (which throws until it holds) every few milliseconds, for state another process or stream updates. */
export async function eventually<T>(check: () => T, what: string, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
