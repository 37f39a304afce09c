import { execFileSync } from 'node:child_process';

/**
 * Whether the root-only capture tests can run here, decided once by trying. The reason
 * is the skip reason, so a run without root reports these tests as skipped, never passed.
 */
function probe(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'network namespaces and iptables need root';
  const name = `ambz${process.pid}-probe`;
  try {
    for (const command of [['iptables', '--version'], ['nsenter', '--version']]) execFileSync(command[0]!, command.slice(1), { stdio: 'ignore', timeout: 10_000 });
    execFileSync('ip', ['netns', 'add', name], { stdio: 'ignore', timeout: 10_000 });
    execFileSync('ip', ['netns', 'delete', name], { stdio: 'ignore', timeout: 10_000 });
    return undefined;
  } catch (error) {
    return `network namespaces or iptables are not usable here: ${error instanceof Error ? error.message : String(error)}`;
  }
}

export const CAPTURE_UNAVAILABLE = probe();
