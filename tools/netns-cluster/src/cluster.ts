import { ClusterCommandError, ClusterExistsError, ClusterTargetError } from './errors.js';
import { clusterPrefix, nodeNetns, podNetns } from './plan/names.js';
import { planUp } from './plan/plan-up.js';
import type { CommandRunner } from './run/command-runner.js';
import { runCommand } from './run/command-runner.js';
import type { ClusterSpec } from './spec/cluster-spec.js';

/**
 * The cluster's life cycle over `ip` commands. State lives only in the kernel: the
 * cluster is whatever network namespaces carry its prefix, so `down` needs nothing but
 * the cluster's name and works after a crash of `up`.
 */

/** Builds the cluster; on any failure removes what it built and rethrows. */
export async function clusterUp(spec: ClusterSpec, run: CommandRunner = runCommand): Promise<void> {
  const existing = await clusterNamespaces(spec.name, run);
  if (existing.length > 0) throw new ClusterExistsError(spec.name, existing);
  try {
    for (const command of planUp(spec)) await run(command);
  } catch (error) {
    await clusterDown(spec.name, run).catch(() => undefined);
    throw error;
  }
}

/**
 * Removes every namespace of cluster `name` (and with them every link, bridge, address,
 * route and rule inside), after killing the processes still running in them, which
 * would otherwise keep a namespace alive. Returns what it removed; removing a cluster
 * that is not up removes nothing.
 */
export async function clusterDown(name: string, run: CommandRunner = runCommand): Promise<string[]> {
  const namespaces = await clusterNamespaces(name, run);
  for (const netns of namespaces) {
    for (const pid of parsePids(await run(['ip', 'netns', 'pids', netns]))) killQuietly(pid);
  }
  for (const netns of namespaces) {
    await run(['ip', 'netns', 'delete', netns]).catch((error: unknown) => {
      // Another `down` may have removed it meanwhile; anything else is a real failure.
      if (!(error instanceof ClusterCommandError && /No such file/.test(error.message))) throw error;
    });
  }
  return namespaces;
}

/** The network namespaces of cluster `name` that exist now. */
export async function clusterNamespaces(name: string, run: CommandRunner = runCommand): Promise<string[]> {
  const prefix = clusterPrefix(name);
  return parseNetnsList(await run(['ip', 'netns', 'list'])).filter((netns) => netns.startsWith(prefix));
}

/** What `exec` enters: a pod by `name` or `namespace/name`, or a node. */
export type ExecTarget = { readonly pod: string } | { readonly node: string };

/** The network namespace name of a pod or node of the description. */
export function targetNetns(spec: ClusterSpec, target: ExecTarget): string {
  if ('node' in target) {
    const node = spec.nodes.find((n) => n.name === target.node);
    if (node === undefined) throw new ClusterTargetError(`cluster ${spec.name} has no node ${JSON.stringify(target.node)}`, `its nodes are ${spec.nodes.map((n) => n.name).join(', ')}`);
    return nodeNetns(spec, node);
  }
  const [namespace, name] = target.pod.includes('/') ? target.pod.split('/', 2) : [undefined, target.pod];
  const matches = spec.pods.filter((p) => p.name === name && (namespace === undefined || p.namespace === namespace));
  const known = spec.pods.map((p) => `${p.namespace}/${p.name}`).join(', ');
  if (matches.length === 0) throw new ClusterTargetError(`cluster ${spec.name} has no pod ${JSON.stringify(target.pod)}`, `its pods are ${known}`);
  if (matches.length > 1) throw new ClusterTargetError(`pod name ${JSON.stringify(target.pod)} is in several namespaces`, `name it as namespace/pod: ${known}`);
  return podNetns(spec, matches[0]!);
}

/** `ip netns list` prints `name` or `name (id: N)` per line. */
function parseNetnsList(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name.length > 0);
}

function parsePids(output: string): number[] {
  return output
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => Number.isInteger(pid) && pid > 1 && pid !== process.pid);
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
