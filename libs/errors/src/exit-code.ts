/**
 * Process exit codes shared by every Ambit binary, so that scripts can tell "the
 * command ran and found a problem" from "the command line itself was wrong".
 */
export const ExitCode = {
  /** Success: the command ran and found nothing wrong, or a server drained cleanly. */
  Ok: 0,
  /** The command ran and found problems, or a server could not start or drain. */
  Failed: 1,
  /** The command line (a flag, an argument, an AMBIT_* variable) was wrong. */
  Usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
