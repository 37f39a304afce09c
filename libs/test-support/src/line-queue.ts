import { AsyncQueue } from './async-queue.js';

/** Lines written by a child process, taken one at a time. */
export class LineQueue {
  /** Every complete line so far, for the message of a failed wait. */
  readonly seen: string[] = [];
  readonly #lines = new AsyncQueue<string>();
  #partial = '';

  /** Feeds raw output; complete lines are queued. */
  feed(chunk: string): void {
    const parts = (this.#partial + chunk).split('\n');
    this.#partial = parts.pop()!;
    for (const line of parts) {
      this.seen.push(line);
      this.#lines.push(line);
    }
  }

  /** The next line matching `pattern` (lines before it are dropped). */
  async match(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = await this.#lines.next(`a line matching ${pattern} (so far: ${this.seen.slice(-5).join(' | ')})`, Math.max(1, deadline - Date.now()));
      const match = pattern.exec(line);
      if (match !== null) return match;
    }
  }
}
