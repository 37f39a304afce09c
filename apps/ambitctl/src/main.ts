import { isAmbitError } from '@ambit/errors';
import { ExitCode } from '@ambit/errors';
import { runCli } from './program.js';

/** The process entry: real streams, and a last-resort report of unexpected failures. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await runCli(argv, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
  } catch (err) {
    const message = isAmbitError(err) ? `${err.code}: ${err.describe()}` : err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`ambitctl: ${message}\n`);
    return ExitCode.Failed;
  }
}
