import type { Resource } from '@ambit/config-model';
import { assignLocalAddresses } from '@ambit/mesh-model';
import { track, type TrackedResource } from '../published-resources.js';

interface Assigned {
  /** The entry as the files hold it. */
  readonly from: TrackedResource;
  /** The same with its address, tracked (fingerprinted) once. */
  readonly to: TrackedResource;
}

/**
 * The file provider is local mode's: the resources it publishes carry the addresses
 * local mode assigns (a VIP for each Service without a cluster IP, see
 * assignLocalAddresses), exactly those `ambitctl local up` prints. The Kubernetes
 * provider publishes what the API server assigned instead. A resource given an address
 * is tracked afresh only when it or its address changed, so a reload of a large mesh
 * does not fingerprint every Service again, and a VIP that moves is published as any
 * content change is.
 */
export class LocalAddresses {
  #previous = new Map<string, Assigned>();

  apply(merged: ReadonlyMap<string, TrackedResource>): Map<string, TrackedResource> {
    const entries = [...merged.values()];
    const { resources } = assignLocalAddresses(entries.map((entry) => entry.resource));
    const next = new Map<string, TrackedResource>();
    const assigned = new Map<string, Assigned>();
    entries.forEach((entry, i) => {
      const resource = resources[i]!;
      if (resource === entry.resource) {
        next.set(entry.key, entry);
        return;
      }
      const before = this.#previous.get(entry.key);
      const to = before !== undefined && before.from === entry && addressOf(before.to.resource) === addressOf(resource) ? before.to : track(resource);
      assigned.set(entry.key, { from: entry, to });
      next.set(entry.key, to);
    });
    this.#previous = assigned;
    return next;
  }
}

function addressOf(resource: Resource): string | undefined {
  return resource.kind === 'Service' ? resource.spec.clusterIP : undefined;
}
