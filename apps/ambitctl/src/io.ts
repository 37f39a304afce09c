/** Where a command reads and writes; process streams in production, buffers in tests. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly stdin: AsyncIterable<Buffer | string>;
}

/** Exit codes every command follows. */
export const ExitCode = {
  Ok: 0,
  /** The command ran and found problems (invalid config, unhealthy proxy). */
  Failed: 1,
  /** The command line itself was wrong. */
  Usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
