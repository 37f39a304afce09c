import { execFile } from 'node:child_process';
import { ClusterCommandError } from '../errors.js';
import type { Command } from '../plan/plan-up.js';

/** Runs one command and resolves with its standard output; rejects with ClusterCommandError. */
export type CommandRunner = (command: Command) => Promise<string>;

/** `ip` answers in milliseconds; a command that takes this long is stuck. */
const COMMAND_TIMEOUT_MS = 10_000;
/** `ip netns list` and `ip netns pids` are the largest outputs read. */
const MAX_OUTPUT_BYTES = 1024 * 1024;

/** The real runner: execFile, no shell, bounded time and output. */
export const runCommand: CommandRunner = (command) =>
  new Promise((resolve, reject) => {
    const [file, ...args] = command;
    execFile(file!, args, { timeout: COMMAND_TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error === null) {
        resolve(stdout);
        return;
      }
      const detail = error.killed ? `no answer within ${COMMAND_TIMEOUT_MS} ms` : stderr.trim() || error.message;
      reject(new ClusterCommandError(command, detail, error));
    });
  });
