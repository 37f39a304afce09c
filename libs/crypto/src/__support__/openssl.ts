import { execFileSync, spawnSync } from 'node:child_process';

/** OpenSSL cross-checks run only where the binary exists; elsewhere they report as skipped. */
export const hasOpenssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;

export interface OpensslResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function openssl(args: readonly string[], input?: string): OpensslResult {
  const result = spawnSync('openssl', args, { input, encoding: 'utf8' });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs openssl and returns stdout, failing the test with stderr on a non-zero exit. */
export function opensslOk(args: readonly string[], input?: string): string {
  return execFileSync('openssl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

