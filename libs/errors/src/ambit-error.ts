export interface AmbitErrorOptions {
  /** What the user can do about it, e.g. "is port 15008 reachable between nodes?". */
  readonly hint?: string;
  readonly cause?: unknown;
}

/**
 * The one base class for Ambit's errors. Every subclass has a stable `code`
 * (`AMBIT_ERR_*`) that scripts and docs/errors.md can rely on; messages may change,
 * codes may not.
 */
export class AmbitError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: AmbitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }

  /** The message followed by the hint, as shown to a person. */
  describe(): string {
    return this.hint === undefined ? this.message : `${this.message} (${this.hint})`;
  }
}

export function isAmbitError(value: unknown): value is AmbitError {
  return value instanceof AmbitError;
}
