import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withTimeout } from '@ambit/test-support';

/**
 * What the root-only tests of the tool need: whether they can run (the reason is the
 * skip reason, so a run without root reports skipped, never passed), the CLI as a
 * child process, and views of the host's namespaces and links.
 */

const IP_TIMEOUT_MS = 10_000;
const CLI = fileURLToPath(new URL('../bin/netns-cluster.mjs', import.meta.url));

function ip(args: readonly string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', timeout: IP_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
}

function probe(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  const name = `ambt${process.pid}-probe`;
  try {
    ip(['netns', 'add', name]);
    ip(['netns', 'delete', name]);
  } catch (error) {
    return `\`ip netns add\` fails here: ${error instanceof Error ? error.message : String(error)}`;
  }
  try {
    execFileSync('ping', ['-V'], { stdio: 'ignore', timeout: IP_TIMEOUT_MS });
  } catch {
    return 'ping is not installed';
  }
  return undefined;
}

/** Why the cluster cannot be built here, or undefined when it can. */
export const CLUSTER_UNAVAILABLE = probe();

/** The host's named network namespaces. */
export function hostNetnsNames(): string[] {
  return ip(['netns', 'list'])
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name.length > 0);
}

/** The names of the links in the host's own namespace. */
export function hostLinkNames(): string[] {
  return ip(['-o', 'link', 'show'])
    .split('\n')
    .map((line) => /^\d+:\s+([^:@]+)/.exec(line)?.[1] ?? '')
    .filter((name) => name.length > 0)
    .sort();
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI to completion (bounded). */
export function runCli(args: readonly string[]): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return withTimeout(done, `netns-cluster ${args.join(' ')}`, 60_000).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
}

/** Starts the built CLI and returns the child, for tests that kill it. */
export function startCli(args: readonly string[]) {
  return spawn(process.execPath, [CLI, ...args], { stdio: 'ignore' });
}
