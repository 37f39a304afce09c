import { execFile } from 'node:child_process';
import { CaptureCommandError } from './errors.js';

const TIMEOUT_MS = 10_000;
/** iptables-save of a pod is small; a larger answer is not one. */
const MAX_OUTPUT_BYTES = 1024 * 1024;

/**
 * Runs `command` inside the network namespace at `netnsPath` (`nsenter --net`), with
 * `input` on its stdin; resolves with its stdout. No shell; 10 s at most.
 */
export function runInNetns(netnsPath: string, command: readonly string[], input?: string): Promise<string> {
  const shown = command.join(' ');
  return new Promise((resolve, reject) => {
    const child = execFile('nsenter', [`--net=${netnsPath}`, '--', ...command], { timeout: TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error === null) return resolve(stdout);
      const detail = stderr.trim() || (error.killed ? `no answer within ${TIMEOUT_MS} ms` : error.message);
      reject(new CaptureCommandError(netnsPath, shown, detail, error));
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}
