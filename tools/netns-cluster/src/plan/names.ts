import type { ClusterSpec, NodeSpec, PodSpec } from '../spec/cluster-spec.js';

/**
 * Every object the tool creates is a network namespace named `amb-<cluster>-…`; links,
 * bridges, addresses and routes live inside those namespaces and go with them. So the
 * name prefix alone tells `down` what is ours, also after a crash, and nothing is ever
 * created in the host's own namespace.
 */
export const NAME_PREFIX = 'amb-';
const NAMED_NETNS_DIR = '/var/run/netns';

/** The prefix of every namespace of cluster `name`; a cluster name has no "-", so no other cluster's names start with it. */
export function clusterPrefix(name: string): string {
  return `${NAME_PREFIX}${name}-`;
}

/** The namespace holding the bridge that joins the nodes. */
export function underlayNetns(spec: Pick<ClusterSpec, 'name'>): string {
  return `${clusterPrefix(spec.name)}underlay`;
}

export function nodeNetns(spec: Pick<ClusterSpec, 'name'>, node: Pick<NodeSpec, 'name'>): string {
  return `${clusterPrefix(spec.name)}n-${node.name}`;
}

/** "." cannot occur in a namespace name (a DNS label), so `<namespace>.<pod>` is unambiguous. */
export function podNetns(spec: Pick<ClusterSpec, 'name'>, pod: Pick<PodSpec, 'namespace' | 'name'>): string {
  return `${clusterPrefix(spec.name)}p-${pod.namespace}.${pod.name}`;
}

/** The path a setns(2) caller (libs/netns) opens for a namespace made by `ip netns add`. */
export function netnsPath(netnsName: string): string {
  return `${NAMED_NETNS_DIR}/${netnsName}`;
}

/** Interface names inside the namespaces (short: Linux allows 15 characters). */
export const Interfaces = {
  /** In the underlay: the bridge joining the nodes. */
  underlayBridge: 'br0',
  /** In the underlay: node `i`'s end of its link. */
  underlayPort: (i: number) => `n${i}`,
  /** In a node or a pod: the end of the link towards the underlay (node) or the node (pod). */
  uplink: 'eth0',
  /** In a node: the bridge its pods hang off, holding the pod CIDR's gateway address. */
  podBridge: 'cni0',
  /** In a node: pod `j`'s end of its link. */
  podPort: (j: number) => `veth${j}`,
} as const;
