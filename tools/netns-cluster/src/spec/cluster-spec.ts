import type { Cidr } from './ipv4.js';

/**
 * A cluster description after validation, with every default applied and every
 * address assigned: what `up`, `exec` and `emit-yaml` work from.
 */
export interface ClusterSpec {
  /** Names every object the tool creates (`amb-<name>-…`), so `down` finds them after a crash. */
  readonly name: string;
  /** The nodes' network (the underlay bridge). */
  readonly network: Cidr;
  /** Where services without a clusterIP get one; absent: services keep none. */
  readonly serviceCIDR: Cidr | undefined;
  readonly nodes: readonly NodeSpec[];
  /** Declared namespaces and those only named by pods or services, sorted by name. */
  readonly namespaces: readonly NamespaceSpec[];
  readonly pods: readonly PodSpec[];
  readonly services: readonly ServiceSpec[];
}

export interface NodeSpec {
  readonly name: string;
  /** On the nodes' network: the node's InternalIP. */
  readonly ip: string;
  readonly podCIDR: Cidr;
  /** The first address of the pod CIDR, on the node's pod bridge: every pod's default route. */
  readonly gateway: string;
}

export interface NamespaceSpec {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface PodSpec {
  readonly name: string;
  readonly namespace: string;
  readonly node: string;
  /** From the node's pod CIDR: given, or the next free one. */
  readonly ip: string;
  readonly serviceAccount: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly number[];
}

export interface ServiceSpec {
  readonly name: string;
  readonly namespace: string;
  readonly clusterIP: string | undefined;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly ServicePortSpec[];
}

export interface ServicePortSpec {
  readonly name: string | undefined;
  readonly port: number;
  readonly targetPort: number;
}
