/** Rejects with `what` in the message when `promise` does not settle within `timeoutMs`. */
export async function withTimeout<T>(promise: Promise<T>, what: string, timeoutMs = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Resolves with the first defined result of `probe`, asking again after each short pause. */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const result = await probe();
      if (result !== undefined) return result;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last === undefined ? '' : ` (last error: ${String(last)})`}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Lines written by a child process, taken one at a time. */
export class LineQueue {
  readonly seen: string[] = [];
  readonly #items: string[] = [];
  readonly #waiters: ((line: string) => void)[] = [];
  #partial = '';

  /** Feeds raw output; complete lines are queued. */
  feed(chunk: string): void {
    const parts = (this.#partial + chunk).split('\n');
    this.#partial = parts.pop()!;
    for (const line of parts) {
      this.seen.push(line);
      const waiter = this.#waiters.shift();
      if (waiter === undefined) this.#items.push(line);
      else waiter(line);
    }
  }

  /** The next line matching `pattern` (lines before it are dropped). */
  async match(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = await withTimeout(this.#next(), `a line matching ${pattern} (so far: ${this.seen.slice(-5).join(' | ')})`, Math.max(1, deadline - Date.now()));
      const match = pattern.exec(line);
      if (match !== null) return match;
    }
  }

  #next(): Promise<string> {
    const item = this.#items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
