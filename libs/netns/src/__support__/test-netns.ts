import { execFileSync } from 'node:child_process';

/**
 * Throw-away network namespaces for this library's root-only tests. Whether they can
 * run is decided once, by trying: the reason is shown as the skip reason, so a run
 * without root reports these tests as skipped, never as passed.
 */

const IP_TIMEOUT_MS = 10_000;
/** Not `amb-`: that prefix belongs to tools/netns-cluster, whose `down` removes it. */
const PREFIX = `ambt${process.pid}-`;

function run(file: string, args: readonly string[]): string {
  return execFileSync(file, args, { encoding: 'utf8', timeout: IP_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
}

function probe(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  const name = `${PREFIX}probe`;
  try {
    run('ip', ['netns', 'add', name]);
    run('ip', ['netns', 'delete', name]);
    return undefined;
  } catch (error) {
    return `\`ip netns add\` fails here: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function probeIptables(): string | undefined {
  try {
    run('iptables', ['--version']);
    run('ip6tables', ['--version']);
    return undefined;
  } catch {
    return 'iptables is not installed';
  }
}

/** Why namespaces cannot be used here, or undefined when they can. */
export const NETNS_UNAVAILABLE = probe();
/** Why iptables rules cannot be installed here, or undefined when they can. */
export const IPTABLES_UNAVAILABLE = NETNS_UNAVAILABLE ?? probeIptables();

export class TestNetns {
  readonly name: string;
  readonly path: string;

  private constructor(label: string) {
    this.name = `${PREFIX}${label}`;
    this.path = `/var/run/netns/${this.name}`;
  }

  /** A new namespace with its loopback up. */
  static create(label: string): TestNetns {
    const netns = new TestNetns(label);
    run('ip', ['netns', 'add', netns.name]);
    netns.exec('ip', ['link', 'set', 'lo', 'up']);
    return netns;
  }

  /** Runs a command inside the namespace and returns its standard output. */
  exec(file: string, args: readonly string[]): string {
    return run('ip', ['netns', 'exec', this.name, file, ...args]);
  }

  remove(): void {
    run('ip', ['netns', 'delete', this.name]);
  }
}
