import { createLogger, type Logger } from '@ambit/telemetry';
import { withTimeout } from '@ambit/test-support';

/** A logger whose lines tests can wait for, instead of writing them to the terminal. */
export class CapturedLog {
  readonly lines: string[] = [];
  readonly logger: Logger;
  readonly #waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();

  constructor() {
    this.logger = createLogger({
      level: 'debug',
      component: 'control-plane',
      write: (line) => {
        this.lines.push(line);
        for (const waiter of [...this.#waiters]) {
          if (waiter.pattern.test(line)) {
            this.#waiters.delete(waiter);
            waiter.resolve(line);
          }
        }
      },
    });
  }

  /** The next line (from now on) matching `pattern`. */
  next(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    return withTimeout(new Promise<string>((resolve) => this.#waiters.add({ pattern, resolve })), `a log line matching ${pattern}`, timeoutMs);
  }
}
