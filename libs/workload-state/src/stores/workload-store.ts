import { networkAddressKey } from '../ip.js';
import type { Workload } from '../types.js';

/** What readers may ask of the workloads: lookups only. */
export interface WorkloadView {
  readonly size: number;
  byUid(uid: string): Workload | undefined;
  /** The workload that owns `ip` on `network` (a pod IP, a WorkloadEntry address). */
  byAddress(network: string, ip: string): Workload | undefined;
  /** A workload known by hostname only (a WorkloadEntry with a DNS address). */
  byHostname(hostname: string): Workload | undefined;
  /** The workloads scheduled on `node`, by uid. */
  onNode(node: string): readonly Workload[];
  all(): IterableIterator<Workload>;
}

/**
 * Workloads by uid, with indexes by (network, address), hostname and node. Only the
 * state writer (WorkloadState) calls insert and remove; readers get it as a WorkloadView.
 * Two workloads claiming one address: the later one wins, as in ztunnel, and removing
 * the loser leaves the winner's entry alone.
 */
export class WorkloadStore implements WorkloadView {
  readonly #byUid = new Map<string, Workload>();
  readonly #byAddress = new Map<string, Workload>();
  readonly #byHostname = new Map<string, Workload>();
  readonly #byNode = new Map<string, Map<string, Workload>>();

  get size(): number {
    return this.#byUid.size;
  }

  byUid(uid: string): Workload | undefined {
    return this.#byUid.get(uid);
  }

  byAddress(network: string, ip: string): Workload | undefined {
    return this.#byAddress.get(networkAddressKey(network, ip));
  }

  byHostname(hostname: string): Workload | undefined {
    return this.#byHostname.get(hostname);
  }

  onNode(node: string): readonly Workload[] {
    const workloads = this.#byNode.get(node);
    return workloads === undefined ? [] : [...workloads.values()];
  }

  all(): IterableIterator<Workload> {
    return this.#byUid.values();
  }

  /** Adds or replaces a workload; returns the one it replaced. */
  insert(workload: Workload): Workload | undefined {
    const previous = this.remove(workload.uid);
    this.#byUid.set(workload.uid, workload);
    for (const ip of workload.workloadIps) this.#byAddress.set(networkAddressKey(workload.network, ip), workload);
    if (workload.hostname !== '') this.#byHostname.set(workload.hostname, workload);
    if (workload.node !== '') {
      let onNode = this.#byNode.get(workload.node);
      if (onNode === undefined) this.#byNode.set(workload.node, (onNode = new Map()));
      onNode.set(workload.uid, workload);
    }
    return previous;
  }

  /** Removes a workload and its index entries; returns it (undefined when unknown). */
  remove(uid: string): Workload | undefined {
    const workload = this.#byUid.get(uid);
    if (workload === undefined) return undefined;
    this.#byUid.delete(uid);
    for (const ip of workload.workloadIps) deleteIfOwned(this.#byAddress, networkAddressKey(workload.network, ip), uid);
    if (workload.hostname !== '') deleteIfOwned(this.#byHostname, workload.hostname, uid);
    const onNode = this.#byNode.get(workload.node);
    onNode?.delete(uid);
    if (onNode?.size === 0) this.#byNode.delete(workload.node);
    return workload;
  }
}

function deleteIfOwned(index: Map<string, Workload>, key: string, uid: string): void {
  if (index.get(key)?.uid === uid) index.delete(key);
}
